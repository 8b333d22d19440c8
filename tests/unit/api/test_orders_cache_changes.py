"""My orders in memory as the projection moves: only the entries of the employees whose
orders changed are dropped; a rebuild, too many changes, or a read older than the last check
drop or keep nothing more than is safe."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from api import orders_cache
from api.orders_cache import OrdersCache
from projections.reads.async_reads import Changes
from tests.unit.api.orders_reads import (
    CAFE,
    COLLEAGUE,
    EMPLOYEE,
    KEY,
    OTHER_CAFE,
    Clock,
    FakeReads,
    cached_after_a_check,
    started,
    statuses,
)


async def test_a_colleagues_change_keeps_the_entry() -> None:
    """A change of someone else's orders moves the positions but keeps the employee's
    body, without a read of it; the body then stands for the new positions, so a pending
    write up to them finds it too."""
    clock = Clock()
    reads, cache = await started(clock)
    reads.apply(COLLEAGUE, 6)
    reads.apply(COLLEAGUE, 7, cafe=OTHER_CAFE)
    assert statuses(await cached_after_a_check(cache, reads, clock)) == ["placed"]
    assert reads.asked == ["positions", "changed_since"]
    assert await cache.cached(reads, KEY, {CAFE: 6, OTHER_CAFE: 7}) is not None
    assert await cache.cached(reads, KEY, {CAFE: 8}) is None


async def test_a_change_at_a_cafe_new_to_the_positions_drops_the_entry() -> None:
    """The employee's first order at a cafe the last check had no position for."""
    clock = Clock()
    reads, cache = await started(clock)
    reads.apply(EMPLOYEE, 6, cafe=OTHER_CAFE)
    assert await cached_after_a_check(cache, reads, clock) is None


async def test_positions_that_went_back_drop_every_entry() -> None:
    """A rebuild empties the tables and replays: bodies read before it are all dropped."""
    clock = Clock()
    reads, cache = await started(clock)
    reads.at = {CAFE: 3}
    assert await cached_after_a_check(cache, reads, clock) is None
    assert reads.asked == ["positions"]


async def test_more_changes_than_the_cache_reads_drop_every_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past MAX_CHANGED changed employees at once, nobody's body is kept."""
    monkeypatch.setattr(orders_cache, "MAX_CHANGED", 1)
    clock = Clock()
    reads, cache = await started(clock)
    reads.apply(COLLEAGUE, 6)
    reads.apply(COLLEAGUE + 1, 7)
    assert await cached_after_a_check(cache, reads, clock) is None


async def test_a_body_read_behind_the_last_check_is_not_kept() -> None:
    """A read that began before a check and ended after it is answered, not kept: the
    check may already have dropped what changed in between."""
    clock = Clock()
    reads, cache = await started(clock)
    reads.apply(EMPLOYEE, 6)
    reads.read_at = {CAFE: 5}
    assert await cached_after_a_check(cache, reads, clock) is None
    assert statuses((await cache.read(reads, KEY)).body) == ["placed"]
    assert await cache.cached(reads, KEY, {}) is None


class SlowFirstReads(FakeReads):
    """Its first question of who changed waits until the test lets it answer."""

    def __init__(self) -> None:
        super().__init__()
        self.asking = asyncio.Event()  # set once the first question waits
        self.answer = asyncio.Event()
        self.slow = True

    async def changed_since(self, since: dict[uuid.UUID, int], limit: int) -> Changes:
        found = await super().changed_since(since, limit)
        if self.slow:
            self.slow = False
            self.asking.set()
            await self.answer.wait()
        return found


async def test_of_two_overlapping_checks_the_first_to_end_decides() -> None:
    """A check slower than the interval is overtaken by the next: the later answer does
    not set the positions back to its own, older ones."""
    clock, reads = Clock(), SlowFirstReads()
    cache = OrdersCache(clock)
    unchanged = (EMPLOYEE + 10, None, None)  # someone whose orders nobody changes
    await cache.cached(reads, KEY, {})
    await cache.read(reads, KEY)
    await cache.read(reads, unchanged)
    reads.apply(COLLEAGUE, 6)
    slow = asyncio.create_task(cached_after_a_check(cache, reads, clock))
    await reads.asking.wait()
    reads.apply(EMPLOYEE, 7)
    assert await cached_after_a_check(cache, reads, clock) is None  # the second check ended
    reads.answer.set()
    await slow
    # Kept through both checks, so as good as a read at the second one's positions.
    assert await cache.cached(reads, unchanged, {CAFE: 7}) is not None
