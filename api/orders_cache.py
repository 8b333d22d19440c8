"""Each employee's orders in process, as the JSON body of my orders, kept until the orders
projection changes that employee's orders.

An entry holds the body and the projection's position per Kafka key (a cafe) that its rows
were read at, both from one statement, so one snapshot. At most every ``RECHECK_SECONDS``
one query reads the positions; when they moved, a second asks whose orders changed at the
cafes that moved (``AsyncReads.changed_since``), and only those employees' entries are
dropped. Every entry kept is then as good as a read at the new positions. So an order
changed by someone else (a rejection, a manager) shows within ``RECHECK_SECONDS`` of the
projection applying it; a request in between costs no query and no encoding; and a rush of
orders drops the entries of the people ordering, not everyone's.

Positions that went back (a rebuild emptied the tables) or more changes than
``MAX_CHANGED`` at once drop every entry.

Read-your-writes: the caller's pending writes (api.freshness, per Kafka key) are compared
with an entry's positions; an entry that does not hold them all is not used. The orders
projection's pending writes stay in Redis until they expire (``freshness.KEPT``), so a read
on one worker that saw a write never hides it from another worker's older entry.
"""

from __future__ import annotations

import datetime as dt
import math
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from api.presenters import orders_out
from projections.reads.async_reads import AsyncReads, Changes, Positions

PROJECTION = "orders"
RECHECK_SECONDS = 0.1
# A worker keeps this many bytes of bodies, the oldest dropped first: about 4,500 employees
# with 20 orders each (about 14 KB of JSON). A cache smaller than the office's bodies is
# refilled by misses, each a query and an encoding (8 MB halved my orders' rate at 2,000).
MAX_BYTES = 64_000_000
# More employees changed than this since the last check (a worker idle for long): every
# entry is dropped instead of reading who they were.
MAX_CHANGED = 5_000

Key = tuple[int, dt.date | None, dt.date | None]


@dataclass(frozen=True)
class Snapshot:
    """What one statement read: the caller's orders as JSON and the positions they are at."""

    positions: Positions
    body: bytes


def holds(positions: Positions, pending: dict[str, int], also: Positions | None = None) -> bool:
    """Whether the projection at ``positions`` (or, per key, at ``also`` where further)
    has applied every pending write."""
    further = also or {}
    return all(
        max(positions.get(key, 0), further.get(key, 0)) >= nid for key, nid in pending.items()
    )


def _moved_cafes(before: Positions, now: Positions) -> dict[uuid.UUID, int]:
    """The cafes whose position moved, each with its position before (0: new)."""
    moved = {}
    for key, nid in now.items():
        if nid > before.get(key, 0):
            try:
                moved[uuid.UUID(key)] = before.get(key, 0)
            except ValueError:  # not a cafe's key: no order row is under it
                continue
    return moved


class OrdersCache:
    def __init__(
        self, clock: Callable[[], float] = time.monotonic, max_bytes: int = MAX_BYTES
    ) -> None:
        self._clock = clock
        self._max_bytes = max_bytes
        self._entries: OrderedDict[Key, Snapshot] = OrderedDict()
        self._bytes = 0
        # Every entry is as good as a read at these positions, or at its own where further.
        self._positions: Positions | None = None
        self._checked_at = -math.inf

    async def cached(self, reads: AsyncReads, key: Key, pending: dict[str, int]) -> bytes | None:
        """The body kept for ``key`` if the employee's orders did not change since it was
        read (as of the last check) and it holds every pending write; None otherwise."""
        await self._recheck(reads)
        entry = self._entries.get(key)
        if entry is None:
            return None
        return entry.body if holds(entry.positions, pending, self._positions) else None

    async def read(self, reads: AsyncReads, key: Key) -> Snapshot:
        """The caller's orders from the read model, kept for the next request unless read
        at positions behind the last check's (a check was under way meanwhile)."""
        positions, views = await reads.orders_at(*key)
        found = Snapshot(positions, msgspec.json.encode(orders_out(views)))
        self._drop(key)
        if self._positions is not None and not holds(positions, self._positions):
            return found
        while self._entries and self._bytes + len(found.body) > self._max_bytes:
            self._drop(next(iter(self._entries)))
        self._bytes += len(found.body)
        self._entries[key] = found
        return found

    def _drop(self, key: Key) -> None:
        old = self._entries.pop(key, None)
        self._bytes -= len(old.body) if old is not None else 0

    def _drop_all(self, but_at: Positions) -> None:
        """Drop every entry except those read at ``but_at`` (the positions now)."""
        self._entries = OrderedDict(
            (k, e) for k, e in self._entries.items() if e.positions == but_at
        )
        self._bytes = sum(len(e.body) for e in self._entries.values())

    async def _recheck(self, reads: AsyncReads) -> None:
        now = self._clock()
        if now - self._checked_at < RECHECK_SECONDS:
            return
        # Marked first: the requests arriving while the positions are read use the
        # entries as they are, instead of each asking the same question.
        self._checked_at = now
        before = self._positions
        positions = await reads.positions(PROJECTION)
        # None: unknown from what they moved (the first check, or positions that went back
        # because a rebuild emptied the tables).
        changed: Changes | None = None
        if before is not None and holds(positions, before):
            moved = _moved_cafes(before, positions)
            changed = await reads.changed_since(moved, MAX_CHANGED + 1) if moved else []
        if self._positions is not before:  # an overlapping check ended first: it decided
            return
        if before is None or changed is None or len(changed) > MAX_CHANGED:
            self._drop_all(positions)
        else:
            self._drop_changed(changed, before)
        self._positions = positions

    def _drop_changed(self, changed: Changes, before: Positions) -> None:
        """Drop the entries that a change read after ``before`` is newer than."""
        newest: dict[int, dict[str, int]] = {}
        for tg_id, cafe, nid in changed:
            newest.setdefault(tg_id, {})[cafe] = nid
        stale = [
            key
            for key, entry in self._entries.items()
            if key[0] in newest and not holds(entry.positions, newest[key[0]], before)
        ]
        for key in stale:
            self._drop(key)
