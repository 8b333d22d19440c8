"""Hot menus: answered from memory while the menus projection has not moved for the cafe."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import msgspec

from api.menu_cache import RECHECK_SECONDS, MenuCache
from api.presenters import menu_out
from api.schemas import MenuOut
from projections.reads.async_reads import AsyncReads
from projections.reads.results import CafeView

CAFE = uuid.UUID(int=7)
DAY = dt.date(2026, 11, 30)


def cafe_named(name: str) -> CafeView:
    return CafeView(
        id=CAFE, name=name, timezone="Europe/Moscow", currency="RUB", active=True, linked=False,
        chat_id=None, weekdays=(0, 1, 2, 3, 4), cutoff="11:00", holidays=(), dishes=(),
        extras=(), combos=(),
    )  # fmt: skip


class FakeReads(AsyncReads):
    """The read model as the test sets it, counting the queries asked."""

    def __init__(self) -> None:
        self.at = 5
        self.name = "Blini"
        self.asked: list[str] = []

    async def applied(self, projection: str, key: str) -> int:
        self.asked.append("applied")
        await asyncio.sleep(0)  # a real query lets other requests run meanwhile
        return self.at

    async def cafe(self, cafe_id: uuid.UUID) -> CafeView | None:
        self.asked.append("cafe")
        return cafe_named(self.name)

    async def is_closed(self, cafe_id: uuid.UUID, date: dt.date) -> bool:
        self.asked.append("is_closed")
        return False


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_a_menu_read_again_soon_asks_nothing() -> None:
    """Within the recheck interval a menu comes from memory, without a query."""
    queries, clock = FakeReads(), Clock()
    cache = MenuCache(clock)
    first = await cache.menu(queries, CAFE, DAY)
    asked = len(queries.asked)
    assert await cache.menu(queries, CAFE, DAY) == first
    assert len(queries.asked) == asked


async def test_after_the_interval_only_the_position_is_checked() -> None:
    """Past the interval one position query confirms the entry when nothing moved."""
    queries, clock = FakeReads(), Clock()
    cache = MenuCache(clock)
    await cache.menu(queries, CAFE, DAY)
    queries.asked.clear()
    clock.now += RECHECK_SECONDS * 2
    await cache.menu(queries, CAFE, DAY)
    assert queries.asked == ["applied"]


async def test_a_moved_projection_reloads_the_menu() -> None:
    """When the projection applied more for the cafe, the menu is read again."""
    queries, clock = FakeReads(), Clock()
    cache = MenuCache(clock)
    await cache.menu(queries, CAFE, DAY)
    queries.at, queries.name = 6, "Blini & Borsch"
    clock.now += RECHECK_SECONDS * 2
    cafe, _ = await cache.menu(queries, CAFE, DAY)
    assert cafe is not None
    assert cafe.name == "Blini & Borsch"


async def test_ones_own_write_is_never_answered_from_an_older_entry() -> None:
    """A caller whose write is at position 6 gets a fresh read even inside the interval."""
    queries, clock = FakeReads(), Clock()
    cache = MenuCache(clock)
    await cache.menu(queries, CAFE, DAY)
    queries.at, queries.name = 6, "Renamed"
    cafe, _ = await cache.menu(queries, CAFE, DAY, at_least=6)
    assert cafe is not None
    assert cafe.name == "Renamed"


async def test_requests_arriving_during_a_recheck_answer_from_the_entry() -> None:
    """Many requests past the interval cost one position query, not one each."""
    queries, clock = FakeReads(), Clock()
    cache = MenuCache(clock)
    first = await cache.menu(queries, CAFE, DAY)
    queries.asked.clear()
    clock.now += RECHECK_SECONDS * 2
    answers = await asyncio.gather(*(cache.menu(queries, CAFE, DAY) for _ in range(5)))
    assert answers == [first] * 5
    assert queries.asked == ["applied"]


async def test_a_menu_body_is_encoded_again_only_across_its_deadline() -> None:
    """The JSON body is kept for the entry, and rendered anew once the deadline passed."""
    queries, cache = FakeReads(), MenuCache(Clock())
    rendered: list[bool] = []

    def render(cafe: CafeView, closed: bool) -> MenuOut:
        out = menu_out(cafe, DAY, now=now, closed=closed)
        rendered.append(out.cafe.ordering_open)
        return out

    now = dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)  # 10:00 in Moscow, cutoff 11:00
    before = await cache.body(queries, CAFE, DAY, now, render)
    now += dt.timedelta(minutes=30)
    assert await cache.body(queries, CAFE, DAY, now, render) == before
    now += dt.timedelta(hours=1)
    after = await cache.body(queries, CAFE, DAY, now, render)
    assert rendered == [True, False]
    assert after is not None
    assert msgspec.json.decode(after)["cafe"]["ordering_open"] is False
