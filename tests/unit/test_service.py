"""The write side's service and executor, on the in-memory event store."""

from __future__ import annotations

import datetime as dt
import threading

import msgspec
import pytest

from commands.service import LunchService
from commands.store import EventStore
from commands.store.memory import MemoryEventStore
from domain import cafe as cafe_model
from domain import events as ev
from domain import order as order_model
from domain.errors import InvalidRequest, NotFound
from domain.order import ExtraLine, OrderRequest
from tests.unit.cafes import open_cafe

NOW = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 26)


@pytest.fixture
def store() -> EventStore:
    """An empty event store in memory."""
    return MemoryEventStore()


@pytest.fixture
def service(store: EventStore) -> LunchService:
    """The service at a fixed moment, snapshotting cafes every 5 events."""
    return LunchService(store, now=lambda: NOW, snapshot_every=5)


def test_snapshot_and_replay_agree(service: LunchService, store: EventStore) -> None:
    """A cafe loaded through its snapshot equals the cafe folded from all its events."""
    cafe = open_cafe(service)
    for i in range(12):
        service.update_cafe(cafe.id, name=f"Blini {i}", active=None, actor="1001")
    assert store.load_snapshot(cafe.id) is not None
    folded = None
    for _, event in store.load(cafe.id):
        folded = cafe_model.evolve(folded, event)
    assert service.cafe(cafe.id) == folded
    assert service.cafe(cafe.id).name == "Blini 11"


def test_a_remembered_older_snapshot_folds_to_the_latest_state(
    service: LunchService, store: EventStore
) -> None:
    """A cafe read through an older snapshot sessions remember, after later snapshots and
    changes, equals the cafe folded from all its events, through a prefetch too."""
    cafe = open_cafe(service)
    for i in range(6):
        service.update_cafe(cafe.id, name=f"Blini {i}", active=None, actor="1001")
    older = store.load_snapshot(cafe.id)
    assert older is not None
    for i in range(6, 14):
        service.update_cafe(cafe.id, name=f"Blini {i}", active=None, actor="1001")
    folded = None
    for _, event in store.load(cafe.id):
        folded = cafe_model.evolve(folded, event)
    session = service.executor.session()
    session.snapshots[cafe.id] = older
    assert older[0] < store.load_snapshot(cafe.id)[0]  # type: ignore[index]
    session.prefetch([], cafes=[cafe.id])
    assert session.cafe(cafe.id) == folded
    assert session.versions[cafe.id] == store.load(cafe.id)[-1][0]


def test_concurrent_writers_are_retried(store: EventStore) -> None:
    """Two writers on one cafe both succeed: the loser reloads and decides again."""
    service = LunchService(store, now=lambda: NOW)
    cafe = open_cafe(service)
    errors: list[Exception] = []

    def close(day: int) -> None:
        try:
            for offset in range(5):
                date = DAY + dt.timedelta(days=day * 10 + offset)
                LunchService(store, now=lambda: NOW).close_ordering(cafe.id, date, actor="1")
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=close, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(service.cafe(cafe.id).closed) == 20


def test_order_lifecycle_is_recorded(service: LunchService, store: EventStore) -> None:
    """Place, change, cancel and place anew: each is one event on the same order."""
    cafe = open_cafe(service)
    service.upsert_employee(2001, name="Ann", office="HQ", actor="1001")
    soup = cafe.dishes[0].id
    req = OrderRequest(cafe_id=cafe.id, date=DAY, combo_id=cafe.combos[0].id, dishes={"soup": soup})
    placed = service.place_order(2001, req, actor="2001").value
    bread = [ExtraLine(cafe.extras[0].id, 2)]
    changed = service.change_order(
        placed.id, msgspec.structs.replace(req, extras=bread), tg_id=2001, actor="2001"
    ).value
    assert changed.total == 25000 + 4000
    assert service.cancel_order(placed.id, tg_id=2001, actor="2001").value.status == "cancelled"
    again = service.place_order(2001, req, actor="2001").value
    assert again.id == placed.id
    assert again.status == "placed"
    types = [type(e).__name__ for _, e in store.load(placed.id)]
    assert types == ["OrderPlaced", "OrderChanged", "OrderCancelled", "OrderPlaced"]


def test_link_approval_links_the_chat(service: LunchService, store: EventStore) -> None:
    """Approving a request records the approval and the cafe's chat in one transaction."""
    cafe = open_cafe(service)
    request = service.request_link(-100123, "Blini kitchen", 777).value
    assert service.request_link(-100123, "Blini kitchen", 777).notification_id == 0
    head = store.head()
    service.approve_link(request.id, cafe.id, actor="1001")
    new = store.read(head, 10)
    assert [type(r.event) for r in new] == [ev.LinkApproved, ev.ChatLinked]
    assert service.cafe(cafe.id).chat_id == -100123
    with pytest.raises(InvalidRequest):
        service.reject_link(request.id, "too late", actor="1001")


def test_unknown_ids_write_nothing(service: LunchService, store: EventStore) -> None:
    """Commands on unknown cafes or orders are refused and the log does not grow."""
    import uuid

    head = store.head()
    with pytest.raises(NotFound):
        service.update_cafe(uuid.uuid4(), name="x", active=None, actor="1")
    with pytest.raises(NotFound):
        service.cancel_order(uuid.uuid4(), tg_id=1, actor="1")
    assert store.head() == head


def test_roster_import_reports_bad_lines(service: LunchService) -> None:
    """Good CSV lines are kept, bad ones reported with their line number."""
    csv = (
        "\ufefftg_id,name,office,role\n"
        "2001,Ann,HQ,\n2002,Bob,HQ,boss\n2003,,HQ,\n2004,Dan,HQ,manager\n"
    )
    result = service.import_employees(csv, actor="1001").value
    assert result.added == 2
    assert [e["line"] for e in result.errors] == [3, 4]
    dan = service.employee(2004)
    assert dan is not None
    assert dan.role == "manager"
    again = service.import_employees("tg_id,name,office\n2001,Ann,Branch\n", actor="1001").value
    assert (again.added, again.updated) == (0, 1)


def test_an_order_after_the_closure_is_rejected(service: LunchService, store: EventStore) -> None:
    """An order that reached the log after its cafe-day closed is rejected, once."""
    from commands.late_orders import reject_late_orders
    from domain.ids import order_id

    cafe = open_cafe(service)
    for tg_id in (2001, 2002):
        service.upsert_employee(tg_id, name=f"E{tg_id}", office="HQ", actor="1001")
    req = OrderRequest(
        cafe_id=cafe.id, date=DAY, combo_id=cafe.combos[0].id, dishes={"soup": cafe.dishes[0].id}
    )
    on_time = service.place_order(2001, req, actor="2001").value
    # A command that decided before the early close but committed after it:
    decided = order_model.place_order(
        order_id(2002, DAY),
        None,
        service.cafe(cafe.id),
        service.employee(2002),
        req,
        spent_elsewhere=0,
        now=NOW,
        actor="2002",
    )
    service.close_ordering(cafe.id, DAY, actor="1001")
    store.append([(order_id(2002, DAY), 1, decided)])

    assert reject_late_orders(service) == [str(decided.order_id)]
    assert reject_late_orders(service) == []
    late = service.order(decided.order_id)
    assert late.status == "rejected"
    assert "closed" in late.reason
    assert service.order(on_time.id).status == "placed"


def test_monthly_limit_counts_the_other_days(service: LunchService) -> None:
    """The limit covers the month's placed orders; cancelled ones do not count."""
    from domain.errors import LimitExceeded

    cafe = open_cafe(service)
    service.upsert_employee(2001, name="Ann", office="HQ", monthly_limit=50000, actor="1001")

    def req(day: dt.date) -> OrderRequest:
        return OrderRequest(
            cafe_id=cafe.id,
            date=day,
            combo_id=cafe.combos[0].id,
            dishes={"soup": cafe.dishes[0].id},
        )

    thursday, friday, monday = DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=4)
    service.place_order(2001, req(thursday), actor="2001")
    second = service.place_order(2001, req(friday), actor="2001").value
    with pytest.raises(LimitExceeded):
        service.place_order(2001, req(monday), actor="2001")
    service.cancel_order(second.id, tg_id=2001, actor="2001")
    assert service.place_order(2001, req(monday), actor="2001").value.total == 25000
