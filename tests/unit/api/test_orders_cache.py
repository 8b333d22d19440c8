"""My orders in memory: kept until the orders projection changes the employee's orders,
and never without the caller's own pending writes."""

from __future__ import annotations

import asyncio
import uuid

from api.orders_cache import RECHECK_SECONDS, OrdersCache
from tests.unit.api.orders_reads import (
    CAFE,
    EMPLOYEE,
    KEY,
    Clock,
    FakeReads,
    order,
    statuses,
)


async def test_orders_read_again_soon_ask_nothing() -> None:
    """Within the recheck interval the body comes from memory, without a query."""
    reads, cache = FakeReads(), OrdersCache(Clock())
    assert await cache.cached(reads, KEY, {}) is None
    first = await cache.read(reads, KEY)
    reads.asked.clear()
    assert await cache.cached(reads, KEY, {}) == first.body
    assert reads.asked == []


async def test_a_change_of_the_employees_orders_drops_the_entry() -> None:
    """Past the interval, a change the projection applied to the employee's orders makes
    the entry unusable."""
    reads, clock = FakeReads(), Clock()
    cache = OrdersCache(clock)
    await cache.cached(reads, KEY, {})
    await cache.read(reads, KEY)
    reads.apply(EMPLOYEE, 6)
    reads.orders = [order("cancelled")]
    assert statuses(await cache.cached(reads, KEY, {})) == ["placed"]  # within the interval
    clock.now += RECHECK_SECONDS * 2
    assert await cache.cached(reads, KEY, {}) is None
    assert statuses((await cache.read(reads, KEY)).body) == ["cancelled"]
    assert statuses(await cache.cached(reads, KEY, {})) == ["cancelled"]


async def test_an_entry_without_the_callers_pending_write_is_not_used() -> None:
    """Inside the interval too: a pending write past the entry's position needs a read."""
    reads, cache = FakeReads(), OrdersCache(Clock())
    await cache.cached(reads, KEY, {})
    await cache.read(reads, KEY)
    assert await cache.cached(reads, KEY, {CAFE: 6}) is None
    assert await cache.cached(reads, KEY, {str(uuid.UUID(int=8)): 3}) is None
    assert await cache.cached(reads, KEY, {CAFE: 5}) is not None


async def test_an_entry_read_after_the_move_survives_the_recheck() -> None:
    """Entries read at the new positions stay when the recheck learns of them."""
    reads, clock = FakeReads(), Clock()
    cache = OrdersCache(clock)
    await cache.cached(reads, KEY, {})
    reads.apply(EMPLOYEE, 6)
    await cache.read(reads, KEY)
    clock.now += RECHECK_SECONDS * 2
    assert await cache.cached(reads, KEY, {CAFE: 6}) is not None


async def test_requests_arriving_during_a_recheck_ask_once() -> None:
    """Many requests past the interval cost one positions query, not one each."""
    reads, clock = FakeReads(), Clock()
    cache = OrdersCache(clock)
    await cache.cached(reads, KEY, {})
    await cache.read(reads, KEY)
    reads.asked.clear()
    clock.now += RECHECK_SECONDS * 2
    answers = await asyncio.gather(*(cache.cached(reads, KEY, {}) for _ in range(5)))
    assert all(a is not None for a in answers)
    assert reads.asked == ["positions"]


async def test_a_full_cache_drops_its_oldest_bodies_first() -> None:
    """Past its bytes, the cache forgets the bodies read longest ago, and only as many as
    the new one needs: the others are still answered from memory."""
    reads = FakeReads()
    size = len((await OrdersCache(Clock()).read(reads, KEY)).body)
    cache = OrdersCache(Clock(), max_bytes=3 * size)
    keys = [(EMPLOYEE + n, None, None) for n in range(4)]
    for key in keys:
        await cache.read(reads, key)
    assert await cache.cached(reads, keys[0], {}) is None
    for key in keys[1:]:
        assert await cache.cached(reads, key, {}) is not None
    await cache.read(reads, keys[1])  # read again: now the newest
    await cache.read(reads, keys[0])
    assert await cache.cached(reads, keys[1], {}) is not None
    assert await cache.cached(reads, keys[2], {}) is None
