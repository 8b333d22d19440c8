"""Each employee's orders in process, as the JSON body of my orders, kept while the orders
projection stays where it was when they were read.

An entry holds the body and the projection's position per Kafka key (a cafe) that its rows
were read at, both from one statement, so one snapshot. At most every ``RECHECK_SECONDS``
one query reads the positions; when they moved, the entries read before are dropped. So an
order changed by someone else (a rejection, a manager) shows within ``RECHECK_SECONDS`` of
the projection applying it, and a request in between costs no query and no encoding.

Read-your-writes: the caller's pending writes (api.freshness, per Kafka key) are compared
with an entry's positions; an entry that does not hold them all is not used. The orders
projection's pending writes stay in Redis until they expire (``freshness.KEPT``), so a read
on one worker that saw a write never hides it from another worker's older entry.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from api.presenters import orders_out
from projections.reads.async_reads import AsyncReads, Positions

PROJECTION = "orders"
RECHECK_SECONDS = 0.1
# A worker keeps this many bytes of bodies, the oldest dropped first: about 4,500 employees
# with 20 orders each (about 14 KB of JSON). A cache smaller than the office's bodies is
# refilled by misses, each a query and an encoding (8 MB halved my orders' rate at 2,000).
MAX_BYTES = 64_000_000

Key = tuple[int, dt.date | None, dt.date | None]


@dataclass(frozen=True)
class Snapshot:
    """What one statement read: the caller's orders as JSON and the positions they are at."""

    positions: Positions
    body: bytes


def holds(positions: Positions, pending: dict[str, int]) -> bool:
    """Whether the projection at ``positions`` has applied every pending write."""
    return all(positions.get(key, 0) >= nid for key, nid in pending.items())


class OrdersCache:
    def __init__(
        self, clock: Callable[[], float] = time.monotonic, max_bytes: int = MAX_BYTES
    ) -> None:
        self._clock = clock
        self._max_bytes = max_bytes
        self._entries: OrderedDict[Key, Snapshot] = OrderedDict()
        self._bytes = 0
        self._positions: Positions | None = None
        self._checked_at = -math.inf

    async def cached(self, reads: AsyncReads, key: Key, pending: dict[str, int]) -> bytes | None:
        """The body kept for ``key`` if nothing was applied since it was read (as of the
        last check) and it holds every pending write; None otherwise."""
        await self._recheck(reads)
        entry = self._entries.get(key)
        if entry is None or entry.positions != self._positions:
            return None
        return entry.body if holds(entry.positions, pending) else None

    async def read(self, reads: AsyncReads, key: Key) -> Snapshot:
        """The caller's orders from the read model, kept for the next request."""
        positions, views = await reads.orders_at(*key)
        found = Snapshot(positions, msgspec.json.encode(orders_out(views)))
        old = self._entries.pop(key, None)
        self._bytes -= len(old.body) if old is not None else 0
        while self._entries and self._bytes + len(found.body) > self._max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= len(dropped.body)
        self._bytes += len(found.body)
        self._entries[key] = found
        return found

    async def _recheck(self, reads: AsyncReads) -> None:
        now = self._clock()
        if now - self._checked_at < RECHECK_SECONDS:
            return
        # Marked first: the requests arriving while the positions are read use the
        # entries as they are, instead of each asking the same question.
        self._checked_at = now
        positions = await reads.positions(PROJECTION)
        if positions == self._positions:
            return
        self._positions = positions
        # Entries read at these positions (after the change) are still good.
        self._entries = OrderedDict(
            (k, e) for k, e in self._entries.items() if e.positions == positions
        )
        self._bytes = sum(len(e.body) for e in self._entries.values())
