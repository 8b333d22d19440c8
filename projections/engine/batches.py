"""Apply a batch of replayed events to projections in one transaction, for the rebuild.

A rebuild starts from emptied tables and tracking, holds the projections' advisory locks
and replays the store in notification order, so no event can be a duplicate and only the
keys the rebuild itself parked can hold one back. That lets a batch skip the per-event
checks and savepoints of ``handling.handle``: its statements go out in pipeline mode and
each key's tracking row is written once per batch, with the batch's last notification id
for that key, in the same transaction. If anything in the batch fails, the transaction
is rolled back and the batch is handled again event by event through ``handle``, so the
failing event is parked with its error and the others apply, exactly as the consumer does.
A projection with ``apply_many`` gets the batch's events in one call; given a rebuild's
``Loader`` for it, that gets them instead, and writes what it kept with COPY after the
pipeline, in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
from psycopg import Connection, Cursor

from domain.events import Recorded, event_type, kafka_key
from projections.engine.base import Loader, Projection, log_event
from projections.engine.handling import Delivery, Outcome, handle, park, set_applied

log = logging.getLogger("lunch.projections")


class Tally(msgspec.Struct, kw_only=True):
    """What a replay did so far, and per projection the keys it parked (key -> first id)."""

    applied: int = 0
    parked: int = 0
    parked_keys: dict[str, dict[str, int]] = msgspec.field(default_factory=dict)

    def blocker(self, projection: str, key: str) -> int | None:
        keys = self.parked_keys.get(projection)
        return keys.get(key) if keys else None

    def held(self, projection: str, key: str, notification_id: int) -> None:
        self.parked += 1
        self.parked_keys.setdefault(projection, {}).setdefault(key, notification_id)


def replay_batch(
    conn: Connection[Any],
    projections: Sequence[Projection],
    batch: Sequence[Recorded],
    tally: Tally,
    loaders: Mapping[str, Loader] | None = None,
) -> None:
    """Apply ``batch`` (ascending, after everything replayed before) in one transaction;
    ``loaders`` by projection name (a rebuild's)."""
    loaders = loaders or {}
    try:
        applied, parked = _replay_fast(conn, projections, batch, tally, loaders)
    except Exception as error:  # rolled back: redone event by event, parking what fails
        for loader in loaders.values():
            loader.discard()
        log_event(
            log,
            logging.WARNING,
            "projection.rebuild_batch_failed",
            first=batch[0].notification_id,
            last=batch[-1].notification_id,
            error=repr(error),
        )
        _replay_each(conn, projections, batch, tally)
        with conn.transaction():
            for loader in loaders.values():
                loader.relearn(conn.cursor(), batch)
    else:
        tally.applied += applied
        for projection, key, notification_id in parked:
            tally.held(projection, key, notification_id)


def _replay_fast(
    conn: Connection[Any],
    projections: Sequence[Projection],
    batch: Sequence[Recorded],
    tally: Tally,
    loaders: Mapping[str, Loader],
) -> tuple[int, list[tuple[str, str, int]]]:
    applied = 0
    parked: list[tuple[str, str, int]] = []
    positions: dict[tuple[str, str], int] = {}
    kinds = [(event_type(r.event), kafka_key(r.event)) for r in batch]
    cur = conn.cursor()
    with conn.transaction():
        with conn.pipeline():
            # One projection after the other: each has its own consumer in the live system,
            # so none depends on how far another has got.
            for projection in projections:
                ready: list[Recorded] = []
                for recorded, (wire_type, key) in zip(batch, kinds, strict=True):
                    if wire_type not in projection.handles:
                        continue
                    blocker = tally.blocker(projection.name, key)
                    if blocker is not None:
                        reason = f"waiting behind parked notification {blocker}"
                        park(cur, projection, Delivery.of(recorded), reason)
                        parked.append((projection.name, key, recorded.notification_id))
                        continue
                    ready.append(recorded)
                    positions[projection.name, key] = recorded.notification_id
                if ready:
                    _apply(cur, projection, loaders.get(projection.name), ready)
                applied += len(ready)
            for (name, key), notification_id in positions.items():
                set_applied(cur, name, key, notification_id)
        for loader in loaders.values():
            loader.copy(cur)
    return applied, parked


def _apply(
    cur: Cursor[Any], projection: Projection, loader: Loader | None, ready: list[Recorded]
) -> None:
    if loader is not None:
        loader.apply_many(cur, ready)
    elif projection.apply_many is not None:
        projection.apply_many(cur, ready)
    else:
        for recorded in ready:
            projection.apply(cur, recorded)


def _replay_each(
    conn: Connection[Any],
    projections: Sequence[Projection],
    batch: Sequence[Recorded],
    tally: Tally,
) -> None:
    with conn.transaction():
        cur = conn.cursor()
        for recorded in batch:
            delivery = Delivery.of(recorded)
            for projection in projections:
                outcome = handle(cur, projection, delivery)
                if outcome is Outcome.APPLIED:
                    tally.applied += 1
                elif outcome is Outcome.PARKED:
                    tally.held(projection.name, delivery.key, delivery.notification_id)
