"""Parked messages: list them, and re-apply a key's parked messages in order."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import msgspec
from psycopg_pool import ConnectionPool

from projections.engine.base import Projection, lock_id, log_event
from projections.engine.handling import Delivery, applied_position, apply_delivery

log = logging.getLogger("lunch.projections")


class Parked(msgspec.Struct, frozen=True, kw_only=True):
    projection: str
    key: str
    notification_id: int
    type: str
    partition: int | None
    offset: int | None
    error: str
    parked_at: dt.datetime


class RetryResult(msgspec.Struct, frozen=True, kw_only=True):
    applied: int
    remaining: int
    error: str | None = None


def parked(pool: ConnectionPool, projection: str | None = None) -> list[Parked]:
    """Parked messages, oldest first (all projections unless one is named)."""
    with pool.connection() as conn:
        rows = conn.execute(
            """SELECT projection, key, notification_id, type, partition, "offset", error,
                      parked_at
               FROM read.parked WHERE %(p)s::text IS NULL OR projection = %(p)s
               ORDER BY projection, notification_id""",
            {"p": projection},
        ).fetchall()
    return [
        Parked(
            projection=r[0],
            key=r[1],
            notification_id=r[2],
            type=r[3],
            partition=r[4],
            offset=r[5],
            error=r[6],
            parked_at=r[7],
        )
        for r in rows
    ]


def retry_parked(pool: ConnectionPool, projection: Projection, key: str) -> RetryResult:
    """Re-apply the key's parked messages oldest first; stop at the first that fails again."""
    applied = 0
    error: str | None = None
    with pool.connection() as conn:
        while error is None:
            with conn.transaction():
                cur = conn.cursor()
                cur.execute("SELECT pg_advisory_xact_lock_shared(%s)", [lock_id(projection.name)])
                cur.execute(
                    """SELECT notification_id, type, payload, originator_id, originator_version,
                              partition, "offset"
                       FROM read.parked WHERE projection = %s AND key = %s
                       ORDER BY notification_id LIMIT 1 FOR UPDATE""",
                    [projection.name, key],
                )
                row = cur.fetchone()
                if row is None:
                    break
                delivery = Delivery(
                    key=key,
                    notification_id=row[0],
                    type=row[1],
                    payload=bytes(row[2]),
                    originator_id=uuid.UUID(str(row[3])) if row[3] is not None else None,
                    originator_version=row[4],
                    partition=row[5],
                    offset=row[6],
                )
                try:
                    if delivery.notification_id > applied_position(cur, projection.name, key):
                        apply_delivery(cur, projection, delivery)
                        applied += 1
                except Exception as e:  # stays parked with the new error
                    error = f"{type(e).__name__}: {e}"
                    cur.execute(
                        "UPDATE read.parked SET error = %s"
                        " WHERE projection = %s AND notification_id = %s",
                        [error, projection.name, delivery.notification_id],
                    )
                else:
                    cur.execute(
                        "DELETE FROM read.parked WHERE projection = %s AND notification_id = %s",
                        [projection.name, delivery.notification_id],
                    )
        remaining_row = conn.execute(
            "SELECT count(*) FROM read.parked WHERE projection = %s AND key = %s",
            [projection.name, key],
        ).fetchone()
    remaining = int(remaining_row[0]) if remaining_row else 0
    log_event(
        log,
        logging.INFO if error is None else logging.WARNING,
        "projection.retry",
        projection=projection.name,
        key=key,
        applied=applied,
        remaining=remaining,
        error=error,
    )
    return RetryResult(applied=applied, remaining=remaining, error=error)
