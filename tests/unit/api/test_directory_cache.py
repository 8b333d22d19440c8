"""The directory in process: entries kept while the employees projection has not moved."""

from __future__ import annotations

import uuid

from api.directory_cache import RECHECK_SECONDS, DirectoryCache
from projections.reads.async_reads import AsyncReads
from projections.reads.results import EmployeeView

ANNA = 501


class FakeReads(AsyncReads):
    """The directory read model as the test sets it, counting the queries asked."""

    def __init__(self) -> None:
        self.at = 5
        self.active = True
        self.asked: list[str] = []

    async def position(self, projection: str) -> int:
        self.asked.append(f"position {projection}")
        return self.at

    async def employee(self, tg_id: int) -> EmployeeView | None:
        self.asked.append(f"employee {tg_id}")
        if tg_id != ANNA:
            return None
        return EmployeeView(
            tg_id=ANNA, name="Анна", office="HQ", role="employee", active=self.active,
            monthly_limit=None,
        )  # fmt: skip

    async def cafe(self, cafe_id: uuid.UUID) -> None:
        raise AssertionError("the directory never reads cafes")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_a_caller_seen_again_soon_costs_no_query() -> None:
    """Within the recheck interval the entry comes from memory."""
    reads, clock = FakeReads(), Clock()
    cache = DirectoryCache(clock)
    first = await cache.employee(reads, ANNA)
    assert reads.asked == ["position employees", f"employee {ANNA}"]
    clock.now += RECHECK_SECONDS / 2
    assert await cache.employee(reads, ANNA) == first
    assert len(reads.asked) == 2


async def test_after_the_interval_only_the_position_is_read_when_nothing_moved() -> None:
    """One position query confirms every entry."""
    reads, clock = FakeReads(), Clock()
    cache = DirectoryCache(clock)
    await cache.employee(reads, ANNA)
    reads.asked.clear()
    clock.now += RECHECK_SECONDS * 2
    await cache.employee(reads, ANNA)
    assert reads.asked == ["position employees"]


async def test_a_deactivation_is_seen_once_the_projection_moved() -> None:
    """The projection applied a change: the next check drops the entries."""
    reads, clock = FakeReads(), Clock()
    cache = DirectoryCache(clock)
    await cache.employee(reads, ANNA)
    reads.active, reads.at = False, 6
    clock.now += RECHECK_SECONDS / 2
    still = await cache.employee(reads, ANNA)
    assert still is not None
    assert still.active
    clock.now += RECHECK_SECONDS * 2
    now = await cache.employee(reads, ANNA)
    assert now is not None
    assert not now.active


async def test_someone_not_in_the_directory_is_asked_about_every_time() -> None:
    """Only entries found are kept: a newcomer's first request finds them once imported."""
    reads, clock = FakeReads(), Clock()
    cache = DirectoryCache(clock)
    assert await cache.employee(reads, 999) is None
    assert await cache.employee(reads, 999) is None
    assert reads.asked.count("employee 999") == 2
