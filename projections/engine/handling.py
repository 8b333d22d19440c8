"""Apply one delivered event to one projection, exactly once per key, parking failures.

Shared by the Kafka consumer and the rebuild, so both run the same code path: skip what
the key already applied, park behind an earlier parked message of the same key, else
apply inside a savepoint and record the key's new position in the same transaction.
"""

from __future__ import annotations

import enum
import logging
import uuid
from typing import Any

import msgspec
from psycopg import Cursor

from domain.events import Recorded, decode_event, encode_event, event_type, kafka_key
from projections.engine.base import Projection, log_event

log = logging.getLogger("lunch.projections")


class Outcome(enum.Enum):
    APPLIED = "applied"
    SKIPPED = "skipped"
    PARKED = "parked"
    IGNORED = "ignored"


class Delivery(msgspec.Struct, frozen=True, kw_only=True):
    """An event as delivered: its key and place, and the still-encoded payload."""

    key: str
    notification_id: int
    type: str
    payload: bytes
    originator_id: uuid.UUID | None = None
    originator_version: int | None = None
    partition: int | None = None
    offset: int | None = None

    @classmethod
    def of(cls, recorded: Recorded) -> Delivery:
        return cls(
            key=kafka_key(recorded.event),
            notification_id=recorded.notification_id,
            type=event_type(recorded.event),
            payload=encode_event(recorded.event),
            originator_id=recorded.originator_id,
            originator_version=recorded.originator_version,
        )

    def decode(self) -> Recorded:
        if self.originator_id is None or self.originator_version is None:
            raise ValueError("the message lacks originator_id or originator_version")
        return Recorded(
            notification_id=self.notification_id,
            originator_id=self.originator_id,
            originator_version=self.originator_version,
            event=decode_event(self.payload),
        )


def applied_position(cur: Cursor[Any], projection: str, key: str) -> int:
    cur.execute(
        "SELECT notification_id FROM read.tracking WHERE projection = %s AND key = %s FOR UPDATE",
        [projection, key],
    )
    row = cur.fetchone()
    return int(row[0]) if row else 0


def set_applied(cur: Cursor[Any], projection: str, key: str, notification_id: int) -> None:
    cur.execute(
        "INSERT INTO read.tracking (projection, key, notification_id) VALUES (%s, %s, %s)"
        " ON CONFLICT (projection, key) DO UPDATE SET notification_id = EXCLUDED.notification_id",
        [projection, key, notification_id],
    )


def apply_delivery(cur: Cursor[Any], projection: Projection, delivery: Delivery) -> None:
    """Decode and apply inside a savepoint: on error the projection's rows are untouched."""
    with cur.connection.transaction():
        projection.apply(cur, delivery.decode())
        set_applied(cur, projection.name, delivery.key, delivery.notification_id)


def handle(cur: Cursor[Any], projection: Projection, delivery: Delivery) -> Outcome:
    """Apply, skip or park one delivery, inside the caller's transaction."""
    if delivery.type not in projection.handles:
        return Outcome.IGNORED
    if delivery.notification_id <= applied_position(cur, projection.name, delivery.key):
        return Outcome.SKIPPED
    blocker = first_parked(cur, projection.name, delivery.key)
    if blocker is not None:
        if is_parked(cur, projection.name, delivery.notification_id):
            return Outcome.SKIPPED
        park(cur, projection, delivery, f"waiting behind parked notification {blocker}")
        return Outcome.PARKED
    try:
        apply_delivery(cur, projection, delivery)
    except Exception as error:  # parked with its error, never lost: see read.parked
        park(cur, projection, delivery, f"{type(error).__name__}: {error}")
        log_event(
            log,
            logging.ERROR,
            "projection.parked",
            projection=projection.name,
            key=delivery.key,
            notification_id=delivery.notification_id,
            type=delivery.type,
            error=repr(error),
        )
        return Outcome.PARKED
    return Outcome.APPLIED


def park(cur: Cursor[Any], projection: Projection, delivery: Delivery, error: str) -> None:
    cur.execute(
        """INSERT INTO read.parked (projection, notification_id, key, partition, "offset",
               type, originator_id, originator_version, payload, error)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (projection, notification_id) DO NOTHING""",
        [
            projection.name,
            delivery.notification_id,
            delivery.key,
            delivery.partition,
            delivery.offset,
            delivery.type,
            delivery.originator_id,
            delivery.originator_version,
            delivery.payload,
            error,
        ],
    )


def first_parked(cur: Cursor[Any], projection: str, key: str) -> int | None:
    cur.execute(
        "SELECT min(notification_id) FROM read.parked WHERE projection = %s AND key = %s",
        [projection, key],
    )
    row = cur.fetchone()
    return None if row is None or row[0] is None else int(row[0])


def is_parked(cur: Cursor[Any], projection: str, notification_id: int) -> bool:
    cur.execute(
        "SELECT 1 FROM read.parked WHERE projection = %s AND notification_id = %s",
        [projection, notification_id],
    )
    return cur.fetchone() is not None
