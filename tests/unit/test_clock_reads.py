"""What the clock's two steps read from the store on each tick: the cafe directory only what
came after its last look, and the late-order check one cafe state per batch, not per order."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import pytest

from commands.clock import CafeDirectory
from commands.late_orders import reject_late_orders
from commands.service import LunchService
from commands.store.memory import MemoryEventStore
from domain import cafe as cafe_model
from domain import events as ev
from domain.order import OrderRequest
from tests.unit.cafes import open_cafe

NOW = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 26)
EMPLOYEES = range(2001, 2006)


class CountingStore(MemoryEventStore):
    """The memory store, noting where each read of the log starts and whose history is loaded."""

    def __init__(self) -> None:
        super().__init__()
        self.read_after: list[int] = []
        self.loads: list[uuid.UUID] = []

    def read(self, after: int, limit: int, *, topics: Sequence[str] = ()) -> list[ev.Recorded]:
        self.read_after.append(after)
        return super().read(after, limit, topics=topics)

    def load(self, originator_id: uuid.UUID, *, after: int = 0) -> list[tuple[int, ev.AnyEvent]]:
        self.loads.append(originator_id)
        return super().load(originator_id, after=after)


@pytest.fixture
def store() -> CountingStore:
    return CountingStore()


@pytest.fixture
def service(store: CountingStore) -> LunchService:
    return LunchService(store, now=lambda: NOW)


def place_orders(service: LunchService, cafe: cafe_model.CafeState) -> None:
    req = OrderRequest(
        cafe_id=cafe.id, date=DAY, combo_id=cafe.combos[0].id, dishes={"soup": cafe.dishes[0].id}
    )
    for tg_id in EMPLOYEES:
        service.upsert_employee(tg_id, name=f"E{tg_id}", office="HQ", actor="1001")
        service.place_order(tg_id, req, actor=str(tg_id))


def test_the_directory_looks_only_after_the_head_it_saw(
    service: LunchService, store: CountingStore
) -> None:
    """Orders logged after the last registration are not read again on the next tick."""
    cafe = open_cafe(service)
    directory = CafeDirectory(service)
    assert directory.cafe_ids() == [cafe.id]
    place_orders(service, cafe)
    head = store.head()
    assert directory.cafe_ids() == [cafe.id]
    store.read_after.clear()

    assert directory.cafe_ids() == [cafe.id]
    assert store.read_after == [head]


def test_a_cafe_registered_after_the_head_is_still_found(service: LunchService) -> None:
    first = open_cafe(service)
    directory = CafeDirectory(service)
    assert directory.cafe_ids() == [first.id]
    second = service.register_cafe("Pelmeni", "Europe/Moscow", "RUB", actor="1001").value
    assert directory.cafe_ids() == [first.id, second.id]


def test_late_orders_read_each_cafe_once_per_batch(
    service: LunchService, store: CountingStore
) -> None:
    """Five orders at one cafe in one batch: one read of the cafe's history, not five."""
    cafe = open_cafe(service)
    place_orders(service, cafe)
    store.loads.clear()

    assert reject_late_orders(service) == []
    assert store.loads.count(cafe.id) == 1
