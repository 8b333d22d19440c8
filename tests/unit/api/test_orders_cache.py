"""My orders in memory: kept until the orders projection changes the employee's orders,
and never without the caller's own pending writes."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import msgspec
import pytest

from api import orders_cache
from api.orders_cache import RECHECK_SECONDS, OrdersCache
from projections.reads.async_reads import AsyncReads, Positions
from projections.reads.results import OrderView

CAFE = str(uuid.UUID(int=7))
OTHER_CAFE = str(uuid.UUID(int=9))
EMPLOYEE = 2001
COLLEAGUE = 2002
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
        # (tg_id, cafe key, notification id) of each change the projection applied
        self.changes: list[tuple[int, str, int]] = []
        self.read_at: Positions | None = None  # orders_at's positions, when not ``at``

    def apply(self, tg_id: int, nid: int, cafe: str = CAFE) -> None:
        """The projection applies a change of ``tg_id``'s orders at ``cafe``."""
        self.changes.append((tg_id, cafe, nid))
        self.at[cafe] = nid

    async def changed_since(
        self, since: dict[uuid.UUID, int], limit: int
    ) -> list[tuple[int, str, int]]:
        self.asked.append("changed_since")
        newest: dict[tuple[int, str], int] = {}
        for tg_id, cafe, nid in self.changes:
            if uuid.UUID(cafe) in since and nid > since[uuid.UUID(cafe)]:
                newest[tg_id, cafe] = max(nid, newest.get((tg_id, cafe), 0))
        return [(tg_id, cafe, nid) for (tg_id, cafe), nid in newest.items()][:limit]

    async def positions(self, projection: str) -> Positions:
        self.asked.append("positions")
        await asyncio.sleep(0)  # a real query lets other requests run meanwhile
        return dict(self.at)

    async def orders_at(
        self, tg_id: int, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> tuple[Positions, list[OrderView]]:
        self.asked.append("orders_at")
        return dict(self.read_at or self.at), list(self.orders)


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


async def cached_after_a_check(cache: OrdersCache, reads: FakeReads, clock: Clock) -> bytes | None:
    """What the cache answers for KEY once the interval passed (so after a check)."""
    clock.now += RECHECK_SECONDS * 2
    return await cache.cached(reads, KEY, {})


async def started(clock: Clock) -> tuple[FakeReads, OrdersCache]:
    """A cache that checked the positions and holds KEY's body."""
    reads, cache = FakeReads(), OrdersCache(clock)
    await cache.cached(reads, KEY, {})
    await cache.read(reads, KEY)
    reads.asked.clear()
    return reads, cache


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

    async def changed_since(
        self, since: dict[uuid.UUID, int], limit: int
    ) -> list[tuple[int, str, int]]:
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
