"""Verification of the read models: replay the event store into a scratch schema through
the rebuild's own batch code and compare, table by table, with the live read models.

The live models keep being updated meanwhile, so they are first copied, together with
their tracking rows, in one snapshot; the replay then applies, per projection and key,
exactly the events the live model had applied for that key at that snapshot (what is
still in flight is left out). Both scratch schemas are dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from psycopg import Connection, IsolationLevel, sql
from psycopg_pool import ConnectionPool

from domain.events import Recorded, event_type, kafka_key
from projections.audit.compare import compare_table
from projections.audit.views import Mismatch
from projections.engine.base import Projection
from projections.engine.batches import Tally, replay_batch
from projections.engine.redirect import redirected
from projections.engine.schema import TRACKING_DDL
from projections.models.catalogue import ALL

ReadBatch = Callable[[int, int], Sequence[Recorded]]
Positions = dict[tuple[str, str], int]


class ReadModelCheck(msgspec.Struct, frozen=True, kw_only=True):
    events: int
    position: int
    mismatches: tuple[Mismatch, ...]


def _short(table: str) -> str:
    return table.split(".", 1)[1]


def _snapshot(conn: Connection[Any], projections: Sequence[Projection], live: str) -> Positions:
    """Copy the live tables and read their tracking, all as of one moment."""
    conn.isolation_level = IsolationLevel.REPEATABLE_READ
    try:
        with conn.transaction():
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(live)))
            for table in (t for p in projections for t in p.tables):
                copy = sql.SQL("CREATE TABLE {} AS SELECT * FROM {}").format(
                    sql.Identifier(live, _short(table)), sql.SQL(table)
                )
                conn.execute(copy)
            rows = conn.execute(
                "SELECT projection, key, notification_id FROM read.tracking"
                " WHERE projection = ANY(%s)",
                [[p.name for p in projections]],
            ).fetchall()
    finally:
        conn.isolation_level = None
    return {(name, key): int(position) for name, key, position in rows}


def _create_scratch(conn: Connection[Any], projections: Sequence[Projection], scratch: str) -> None:
    with conn.transaction():
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(scratch)))
        with redirected(conn, scratch):
            for statement in TRACKING_DDL:
                if "read." in statement:
                    conn.execute(statement)
            for projection in projections:
                for statement in projection.ddl:
                    conn.execute(statement)


def _replay(  # noqa: PLR0913
    conn: Connection[Any],
    projections: Sequence[Projection],
    scratch: str,
    positions: Positions,
    *,
    read_batch: ReadBatch,
    batch_size: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    last = max(positions.values(), default=0)
    tally = Tally()
    events = position = 0
    with redirected(conn, scratch):
        while position < last and (batch := read_batch(position, batch_size)):
            kinds = [(event_type(r.event), kafka_key(r.event)) for r in batch]
            for projection in projections:
                applied = [
                    r
                    for r, (kind, key) in zip(batch, kinds, strict=True)
                    if kind in projection.handles
                    and r.notification_id <= positions.get((projection.name, key), 0)
                ]
                if applied:
                    replay_batch(conn, [projection], applied, tally)
            events += len(batch)
            position = batch[-1].notification_id
            if progress is not None:
                progress(min(position, last), last)
    return events


def verify_read_models(
    pool: ConnectionPool,
    *,
    read_batch: ReadBatch,
    projections: Sequence[Projection] = ALL,
    batch_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> ReadModelCheck:
    """Mismatches between each live read model and a replay up to what it has applied.

    ``read_batch(after, limit)``: events with notification id > ``after``, ascending.
    """
    tag = uuid.uuid4().hex[:10]
    live, scratch = f"audit_live_{tag}", f"audit_replay_{tag}"
    with pool.connection() as conn:
        try:
            positions = _snapshot(conn, projections, live)
            _create_scratch(conn, projections, scratch)
            events = _replay(
                conn,
                projections,
                scratch,
                positions,
                read_batch=read_batch,
                batch_size=batch_size,
                progress=progress,
            )
            mismatches = [
                found
                for projection in projections
                for table in projection.tables
                for found in compare_table(
                    conn, projection.name, _short(table), live, scratch, projection.unverified
                )
            ]
        finally:
            conn.rollback()
            for schema in (live, scratch):
                drop = sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
                conn.execute(drop)
            conn.commit()
    return ReadModelCheck(
        events=events, position=max(positions.values(), default=0), mismatches=tuple(mismatches)
    )
