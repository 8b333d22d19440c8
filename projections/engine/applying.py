"""Apply a consumer's run of deliveries to one projection, in the caller's transaction.

Same outcomes as ``handling.handle`` called on each delivery in turn, with fewer
statements: deliveries of types the projection does not read are ignored before any
query; the run's keys have their tracking rows (locked, as ``applied_position`` does)
and their first parked notification read in one query each; the key's state is then
kept in memory through the run, and each key's tracking row is written once, at the end,
with the last notification applied.

The run is first applied without a savepoint per delivery, inside one savepoint for the
whole run. If any apply fails, the run is rolled back to that savepoint and handled again
delivery by delivery, each apply in its own savepoint, so the failing delivery is parked
with its error and the others apply, exactly as one at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from psycopg import Cursor

from projections.engine.base import Projection, lock_id, log_event
from projections.engine.handling import Delivery, Outcome, is_parked, park

log = logging.getLogger("lunch.projections")


class _Keys:
    """Per key of the run: the notification id applied last and the first one parked."""

    def __init__(self, cur: Cursor[Any], projection: str, keys: list[str]) -> None:
        cur.execute(
            "SELECT key, notification_id FROM read.tracking"
            " WHERE projection = %s AND key = ANY(%s) ORDER BY key FOR UPDATE",
            [projection, keys],
        )
        self.applied: dict[str, int] = {k: int(n) for k, n in cur.fetchall()}
        cur.execute(
            "SELECT key, min(notification_id) FROM read.parked"
            " WHERE projection = %s AND key = ANY(%s) GROUP BY key",
            [projection, keys],
        )
        self.blocker: dict[str, int] = {k: int(n) for k, n in cur.fetchall()}
        self.moved: dict[str, int] = {}

    def done(self, key: str, notification_id: int) -> None:
        self.applied[key] = notification_id
        self.moved[key] = notification_id

    def park(self, key: str, notification_id: int) -> None:
        first = self.blocker.get(key)
        self.blocker[key] = notification_id if first is None else min(first, notification_id)

    def save(self, cur: Cursor[Any], projection: str) -> None:
        if not self.moved:
            return
        cur.execute(
            "INSERT INTO read.tracking (projection, key, notification_id)"
            " SELECT %s, k, n FROM unnest(%s::text[], %s::bigint[]) AS t(k, n)"
            " ON CONFLICT (projection, key) DO UPDATE"
            " SET notification_id = EXCLUDED.notification_id",
            [projection, list(self.moved), list(self.moved.values())],
        )


def handle_run(
    cur: Cursor[Any], projection: Projection, batch: Sequence[Delivery]
) -> list[Outcome]:
    """Apply, skip, park or ignore each delivery of ``batch`` (one partition's, in order)."""
    if not any(d.type in projection.handles for d in batch):
        return [Outcome.IGNORED] * len(batch)
    # Shared: a rebuild holds this lock exclusively while it replays the store.
    cur.execute("SELECT pg_advisory_xact_lock_shared(%s)", [lock_id(projection.name)])
    try:
        with cur.connection.transaction():
            return _run(cur, projection, batch, careful=False)
    except Exception:  # rolled back to the run's start: again, one savepoint per apply
        return _run(cur, projection, batch, careful=True)


def _run(
    cur: Cursor[Any], projection: Projection, batch: Sequence[Delivery], *, careful: bool
) -> list[Outcome]:
    keys = _Keys(cur, projection.name, sorted({d.key for d in batch}))
    outcomes = [_one(cur, projection, keys, d, careful=careful) for d in batch]
    keys.save(cur, projection.name)
    return outcomes


def _one(
    cur: Cursor[Any], projection: Projection, keys: _Keys, delivery: Delivery, *, careful: bool
) -> Outcome:
    key, nid = delivery.key, delivery.notification_id
    if delivery.type not in projection.handles:
        return Outcome.IGNORED
    if nid <= keys.applied.get(key, 0):
        return Outcome.SKIPPED
    blocker = keys.blocker.get(key)
    if blocker is not None:
        if is_parked(cur, projection.name, nid):
            return Outcome.SKIPPED
        park(cur, projection, delivery, f"waiting behind parked notification {blocker}")
        keys.park(key, nid)
        return Outcome.PARKED
    if careful:
        return _apply_or_park(cur, projection, keys, delivery)
    projection.apply(cur, delivery.decode())
    keys.done(key, nid)
    return Outcome.APPLIED


def _apply_or_park(
    cur: Cursor[Any], projection: Projection, keys: _Keys, delivery: Delivery
) -> Outcome:
    """Apply inside a savepoint: on error the projection's rows are untouched."""
    key, nid = delivery.key, delivery.notification_id
    try:
        with cur.connection.transaction():
            projection.apply(cur, delivery.decode())
    except Exception as error:  # parked with its error, never lost: see read.parked
        park(cur, projection, delivery, f"{type(error).__name__}: {error}")
        keys.park(key, nid)
        log_event(
            log,
            logging.ERROR,
            "projection.parked",
            projection=projection.name,
            key=key,
            notification_id=nid,
            type=delivery.type,
            error=repr(error),
        )
        return Outcome.PARKED
    keys.done(key, nid)
    return Outcome.APPLIED
