"""The read model as the orders cache's tests set it (tests.unit.api.test_orders_cache*)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import msgspec

from api.orders_cache import RECHECK_SECONDS, OrdersCache
from projections.reads.async_reads import AsyncReads, Changes, Positions
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
        self.changes: Changes = []
        self.read_at: Positions | None = None  # orders_at's positions, when not ``at``

    def apply(self, tg_id: int, nid: int, cafe: str = CAFE) -> None:
        """The projection applies a change of ``tg_id``'s orders at ``cafe``."""
        self.changes.append((tg_id, cafe, nid))
        self.at[cafe] = nid

    async def changed_since(self, since: dict[uuid.UUID, int], limit: int) -> Changes:
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
