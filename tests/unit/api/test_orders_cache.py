"""My orders in memory: kept while the orders projection has not moved, and never without
the caller's own pending writes."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import msgspec

from api.orders_cache import RECHECK_SECONDS, OrdersCache
from projections.reads.async_reads import AsyncReads, Positions
from projections.reads.results import OrderView

CAFE = str(uuid.UUID(int=7))
EMPLOYEE = 2001
KEY = (EMPLOYEE, dt.date(2026, 11, 1), None)
AT = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)


def order(status: str) -> OrderView:
    return OrderView(
        id=uuid.UUID(int=1), tg_id=EMPLOYEE, cafe_id=uuid.UUID(CAFE), cafe_name="Blini",
        date=dt.date(2026, 11, 26), combo_id=uuid.UUID(int=2), combo_name="Full", dishes=(),
        extras=(), total=45000, currency="RUB", note="", status=status,  # type: ignore[arg-type]
        placed_at=AT, updated_at=AT, editable_until=None,
    )  # fmt: skip


class FakeReads(AsyncReads):
    """The read model as the test sets it, counting the queries asked."""

    def __init__(self) -> None:
        self.at: Positions = {CAFE: 5}
        self.orders = [order("placed")]
        self.asked: list[str] = []

    async def positions(self, projection: str) -> Positions:
        self.asked.append("positions")
        await asyncio.sleep(0)  # a real query lets other requests run meanwhile
        return dict(self.at)

    async def orders_at(
        self, tg_id: int, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> tuple[Positions, list[OrderView]]:
        self.asked.append("orders_at")
        return dict(self.at), list(self.orders)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def statuses(body: bytes | None) -> list[str]:
    assert body is not None
    return [o["status"] for o in msgspec.json.decode(body)]


async def test_orders_read_again_soon_ask_nothing() -> None:
    """Within the recheck interval the body comes from memory, without a query."""
    reads, cache = FakeReads(), OrdersCache(Clock())
    assert await cache.cached(reads, KEY, {}) is None
    first = await cache.read(reads, KEY)
    reads.asked.clear()
    assert await cache.cached(reads, KEY, {}) == first.body
    assert reads.asked == []


async def test_a_moved_projection_drops_the_entry() -> None:
    """Past the interval, positions that moved make the entry unusable."""
    reads, clock = FakeReads(), Clock()
    cache = OrdersCache(clock)
    await cache.cached(reads, KEY, {})
    await cache.read(reads, KEY)
    reads.at, reads.orders = {CAFE: 6}, [order("cancelled")]
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
    reads.at = {CAFE: 6}
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
