"""The executor: one decision per command, appended atomically with what it read."""

from __future__ import annotations

import datetime as dt

import pytest

from commands.executor import Executor
from commands.messages import (
    CancelOrder,
    ChangeOrder,
    ComboInput,
    DishInput,
    Outcome,
    PlaceOrder,
    UpsertEmployee,
)
from commands.service import LunchService
from commands.store import Conflict
from commands.store.memory import MemoryEventStore
from domain import cafe as cafe_model
from domain import events as ev
from domain import order as order_model
from domain.errors import LimitExceeded, OrderExists
from domain.ids import month_spend_id, order_id
from domain.order import OrderRequest

NOW = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC)  # Monday, 09:00 in Moscow
MONDAY = dt.date(2026, 11, 2)
PRICE = 25000


def office(limit: int | None = 2 * PRICE) -> tuple[LunchService, cafe_model.CafeState]:
    service = LunchService(MemoryEventStore(), now=lambda: NOW)
    cafe = service.register_cafe("Blini", "Europe/Moscow", "RUB", actor="1001").value
    service.set_menu(
        cafe.id, [DishInput(name="Borsch", category="soup", price=20000)], [], actor="1"
    )
    service.set_combos(
        cafe.id, [ComboInput(name="Soup", price=PRICE, categories=["soup"])], actor="1"
    )
    cafe = service.set_schedule(cafe.id, range(7), "11:00", actor="1001").value
    service.upsert_employee(2001, name="Ann", office="HQ", monthly_limit=limit, actor="1001")
    return service, cafe


def place(cafe: cafe_model.CafeState, day: int) -> PlaceOrder:
    request = OrderRequest(
        cafe_id=cafe.id,
        date=MONDAY + dt.timedelta(days=day),
        combo_id=cafe.combos[0].id,
        dishes={"soup": cafe.dishes[0].id},
    )
    return PlaceOrder(tg_id=2001, request=request, actor="2001")


def test_two_placements_decided_together_conflict_on_the_month() -> None:
    """Two orders decided against the same month: the second append conflicts, and deciding
    it again counts the first."""
    service, cafe = office(limit=PRICE)
    executor = service.executor
    first, second = executor.decide(place(cafe, 0)), executor.decide(place(cafe, 1))
    executor._append([first])
    with pytest.raises(Conflict):
        executor._append([second])
    with pytest.raises(LimitExceeded):
        service.execute(place(cafe, 1))


def test_an_order_and_its_spend_are_one_write() -> None:
    """A placement appends the order's event and the month's spend in one append."""
    service, cafe = office()
    outcome = service.execute(place(cafe, 0))
    assert len(outcome.positions) == 2
    assert outcome.notification_id == max(outcome.positions)
    spend = service.store.load(month_spend_id(2001, MONDAY))
    assert [(e.order_id, e.amount) for _, e in spend if isinstance(e, ev.SpendRecorded)] == [
        (outcome.value.id, PRICE)
    ]


def test_cancelled_orders_count_nothing() -> None:
    """Cancelling an order frees its amount for the rest of the month."""
    service, cafe = office()
    service.execute(place(cafe, 0))
    second = service.execute(place(cafe, 1)).value
    with pytest.raises(LimitExceeded):
        service.execute(place(cafe, 2))
    service.execute(CancelOrder(order_id=second.id, tg_id=2001, actor="2001"))
    assert service.execute(place(cafe, 2)).value.total == PRICE


def test_orders_written_before_month_streams_are_counted() -> None:
    """An order with no spend recorded (written before months had streams) still counts."""
    service, cafe = office(limit=PRICE)
    legacy = order_model.place_order(
        order_id(2001, MONDAY),
        None,
        cafe,
        service.employee(2001),
        place(cafe, 0).request,
        spent_elsewhere=0,
        now=NOW,
        actor="2001",
    )
    service.store.append([(legacy.order_id, 1, legacy)])
    with pytest.raises(LimitExceeded):
        service.execute(place(cafe, 1))


def test_a_change_opens_the_month_from_the_orders_written_before_it() -> None:
    """A change reads the month's days without a prefetch: its opening still counts the
    other days' orders written before months had streams."""
    service, cafe = office(limit=2 * PRICE)
    for day in (0, 1):
        request = place(cafe, day).request
        legacy = order_model.place_order(
            order_id(2001, request.date), None, cafe, service.employee(2001), request,
            spent_elsewhere=0, now=NOW, actor="2001",
        )  # fmt: skip
        service.store.append([(legacy.order_id, 1, legacy)])
    change = ChangeOrder(order_id=legacy.order_id, request=request, tg_id=2001, actor="2001")
    service.execute(change)
    with pytest.raises(LimitExceeded):
        service.execute(place(cafe, 2))


def test_a_group_touching_one_aggregate_twice_runs_one_by_one() -> None:
    """Two commands of a group on one order conflict in the shared append; run one by one,
    the second breaks a rule, which is its result only."""
    service, cafe = office(limit=None)
    before = service.store.head()
    results = service.execute_many(
        [
            place(cafe, 0),
            place(cafe, 0),
            UpsertEmployee(tg_id=2002, name="Bo", office="HQ", actor="1"),
        ]
    )
    assert [type(r) for r in results] == [Outcome, OrderExists, Outcome]
    assert service.order(order_id(2001, MONDAY)).status == "placed"
    assert service.employee(2002) is not None
    assert service.store.head() > before


def test_execute_many_reports_each_commands_positions() -> None:
    """Each command of a group learns the notification ids of its own events."""
    service, cafe = office(limit=None)
    executor: Executor = service.executor
    results = executor.execute_many(
        [place(cafe, 0), UpsertEmployee(tg_id=2002, name="Bo", office="HQ", actor="1")]
    )
    placed, hired = results
    assert not isinstance(placed, Exception)
    assert not isinstance(hired, Exception)
    assert len(placed.positions) == 2
    assert len(hired.positions) == 1
    assert hired.positions[0] == max(placed.positions) + 1
