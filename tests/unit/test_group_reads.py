"""A group of placements is read in one round trip and decided as each would be alone."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence

from commands.handlers.orders import place_order_reads
from commands.messages import ComboInput, DishInput, Outcome, PlaceOrder, UpsertEmployee
from commands.service import LunchService
from commands.store.memory import MemoryEventStore
from domain import cafe as cafe_model
from domain.errors import LimitExceeded, OrderExists
from domain.events import AnyEvent
from domain.ids import month_spend_id, order_id
from domain.order import OrderRequest

NOW = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC)  # Monday, 09:00 in Moscow
MONDAY = dt.date(2026, 11, 2)
PRICE = 20000


class CountingStore(MemoryEventStore):
    """The in-memory store, counting the round trips decisions make."""

    def __init__(self) -> None:
        super().__init__()
        self.load_manys = 0

    def load_many(
        self, originator_ids: Sequence[uuid.UUID], *, after: Mapping[uuid.UUID, int] = {}
    ) -> dict[uuid.UUID, list[tuple[int, AnyEvent]]]:
        self.load_manys += 1
        return super().load_many(originator_ids, after=after)


def office(
    people: int, limit: int | None, store: CountingStore | None = None
) -> tuple[LunchService, cafe_model.CafeState]:
    service = LunchService(store or CountingStore(), now=lambda: NOW, snapshot_every=3)
    cafe = service.register_cafe("Blini", "Europe/Moscow", "RUB", actor="1").value
    dishes = [DishInput(name="Borsch", category="soup", price=PRICE)]
    service.set_menu(cafe.id, dishes, [], actor="1")
    service.set_combos(
        cafe.id, [ComboInput(name="Soup", price=PRICE, categories=["soup"])], actor="1"
    )
    service.set_menu(cafe.id, dishes, [], actor="1")  # past a snapshot: events after it
    cafe = service.set_schedule(cafe.id, range(7), "11:00", actor="1").value
    for tg_id in range(2001, 2001 + people):
        service.upsert_employee(
            tg_id, name=f"E{tg_id}", office="HQ", monthly_limit=limit, actor="1"
        )
    return service, cafe


def place(cafe: cafe_model.CafeState, tg_id: int, day: int = 0) -> PlaceOrder:
    date = MONDAY + dt.timedelta(days=day)
    request = OrderRequest(
        cafe_id=cafe.id, date=date, combo_id=cafe.combos[0].id, dishes={"soup": cafe.dishes[0].id}
    )
    return PlaceOrder(tg_id=tg_id, request=request, actor=str(tg_id))


def test_a_group_of_placements_is_read_in_one_round_trip() -> None:
    service, cafe = office(people=5, limit=None)
    store = service.store
    assert isinstance(store, CountingStore)
    before = store.load_manys
    results = service.execute_many([place(cafe, tg_id) for tg_id in range(2001, 2006)])
    assert store.load_manys == before + 1
    assert all(isinstance(r, Outcome) for r in results)
    for tg_id in range(2001, 2006):
        placed = service.order(order_id(tg_id, MONDAY))
        assert (placed.status, placed.total, placed.tg_id) == ("placed", PRICE, tg_id)


def test_a_group_decides_against_what_was_written_before_it() -> None:
    """The month's spend and the order's existence come from the group's one read."""
    service, cafe = office(people=3, limit=PRICE)
    service.execute(place(cafe, 2001))  # 2001 has spent the month's limit
    service.execute(place(cafe, 2002))  # 2002 has ordered Monday already
    results = service.execute_many([place(cafe, 2001, day=1), place(cafe, 2002), place(cafe, 2003)])
    assert isinstance(results[0], LimitExceeded)
    assert isinstance(results[1], OrderExists)
    assert isinstance(results[2], Outcome)
    assert service.order(order_id(2003, MONDAY)).total == PRICE


def test_a_group_of_other_commands_decides_each_on_its_own_reads() -> None:
    service, cafe = office(people=1, limit=None)
    results = service.execute_many(
        [place(cafe, 2001), UpsertEmployee(tg_id=2002, name="Bo", office="HQ", actor="1")]
    )
    assert [type(r) for r in results] == [Outcome, Outcome]
    assert service.employee(2002) is not None


def test_a_month_written_is_known_to_exist_at_once() -> None:
    """After an employee's first placement of a month, the next one does not read the
    month's days for its opening."""
    service, cafe = office(people=1, limit=None)
    command = place(cafe, 2001, day=1)
    assert place_order_reads(command, service.executor._opened).maybe
    service.execute(place(cafe, 2001))
    assert month_spend_id(2001, MONDAY.replace(day=1)) in service.executor._opened
    assert not place_order_reads(command, service.executor._opened).maybe


def test_a_placement_that_spends_nothing_leaves_its_month_unopened() -> None:
    """A free order writes no spend, so its month still has no stream: the next placement
    must still read the month's days for its opening."""
    service, cafe = office(people=1, limit=None)
    free = service.set_combos(
        cafe.id, [ComboInput(name="Free", price=0, categories=["soup"])], actor="1"
    ).value
    service.execute(place(free, 2001))
    assert service.order(order_id(2001, MONDAY)).total == 0
    assert month_spend_id(2001, MONDAY.replace(day=1)) not in service.executor._opened
    assert place_order_reads(place(free, 2001, day=1), service.executor._opened).maybe
