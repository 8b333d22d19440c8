"""Projections against a real PostgreSQL: exactly-once per key, parking, rebuild, queries."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
from psycopg_pool import ConnectionPool

from commands.store import EventStore
from domain.events import kafka_key
from domain.ids import order_id
from projections.engine.base import Projection
from projections.engine.handling import Delivery, Outcome
from projections.engine.parking import parked, retry_parked
from projections.engine.projector import handle_message
from projections.engine.rebuild import rebuild
from projections.engine.status import projection_status
from projections.models import orders
from projections.models.catalogue import ALL
from projections.reads.queries import Queries
from tests.integration.history import DAY, History, office_history, place
from tests.integration.read_side import TOPIC, Flaky, deliver, dump, expected_tracking


def test_redelivery_changes_nothing(store: EventStore, pool: ConnectionPool) -> None:
    """Delivering the same events again skips every one and leaves the read models as they were."""
    events, _, _ = office_history(History())
    store.append(events)
    recorded = store.read(0, 1000)
    first = deliver(pool, recorded)
    before = dump(pool)

    again = deliver(pool, recorded)

    assert Outcome.APPLIED in first
    assert set(again) <= {Outcome.SKIPPED, Outcome.IGNORED}
    assert dump(pool) == before
    for projection in ALL:
        assert before[f"tracking:{projection.name}"] == expected_tracking(recorded, projection)


def test_queries_read_the_history(store: EventStore, pool: ConnectionPool) -> None:
    """Menus, orders and the directory read as the contract names them."""
    events, blini, pho = office_history(History())
    store.append(events)
    deliver(pool, store.read(0, 1000))
    q = Queries(pool)

    assert [c.name for c in q.cafes()] == ["Blini", "Pho"]
    cafe = q.cafe(blini.id)
    assert cafe is not None
    assert (cafe.weekdays, cafe.cutoff, cafe.linked) == ((0, 1, 2, 3, 4), "11:00", False)
    assert {d.name: d.available for d in cafe.dishes} == {"Blini soup": True, "Blini main": False}
    assert cafe.combos[0].categories == ("soup", "main")
    assert cafe.holidays == (dt.date(2026, 12, 31),)
    linked = q.cafe(pho.id)
    assert linked is not None
    assert linked.linked
    assert q.is_closed(blini.id, DAY)
    assert not q.is_closed(pho.id, DAY)
    assert q.closed_on(DAY) == {blini.id}

    mine = q.orders_of(2001)
    assert [o.date for o in mine] == [DAY + dt.timedelta(days=1), DAY]
    assert mine[1].note == "no onion"
    assert mine[1].total == 47000
    assert [o.name for o in mine[1].dishes] == ["Blini soup", "Blini main"]
    assert q.orders_of(2001, DAY, DAY) == [mine[1]]
    assert {o.tg_id: o.status for o in q.orders_on(DAY)} == {
        2001: "placed",
        2002: "placed",
        2003: "cancelled",
    }
    assert [o.tg_id for o in q.orders_on(DAY, pho.id)] == [2002]
    assert q.order(order_id(2003, DAY)).status == "cancelled"  # type: ignore[union-attr]
    assert q.employee_stats(2001, DAY, DAY + dt.timedelta(days=30)).spent == 47000 + 49000

    boris = q.employee(2002)
    assert boris is not None
    assert (boris.office, boris.role) == ("Annex", "manager")
    assert [(e.tg_id, e.active, e.monthly_limit) for e in q.employees()] == [
        (2001, True, 500000),
        (2002, True, None),
        (2003, False, None),
    ]
    order = msgspec.to_builtins(mine[1])
    assert set(order) >= {"id", "tg_id", "cafe_name", "combo_name", "status", "editable_until"}


def test_wait_applied_sees_the_write(store: EventStore, pool: ConnectionPool) -> None:
    """Read-your-writes: waiting for a notification id returns once its key applied it."""
    h = History()
    events, blini, _ = office_history(h)
    store.append(events)
    deliver(pool, store.read(0, 1000))
    [nid] = store.append([place(h, blini, 2002, date=DAY + dt.timedelta(days=3))])
    q = Queries(pool)
    key = str(blini.id)

    assert not q.wait_applied("orders", key, nid, timeout=0.05)
    deliver(pool, store.read(nid - 1, 10))
    assert q.wait_applied("orders", key, nid, timeout=1.0)
    assert q.applied("orders", key) == nid


def test_failure_parks_the_key_and_others_flow(store: EventStore, pool: ConnectionPool) -> None:
    """A failing event is parked; its key's later events wait behind it; other keys apply."""
    h = History()
    events, blini, pho = office_history(h)
    store.append(events)
    deliver(pool, store.read(0, 1000))
    head = store.head()
    store.append(
        [
            place(h, blini, 2002, date=DAY + dt.timedelta(days=5)),
            place(h, blini, 2003, date=DAY + dt.timedelta(days=5)),
            place(h, pho, 2001, date=DAY + dt.timedelta(days=5)),
        ]
    )
    flaky = Flaky()
    projection = Projection(
        name="orders", handles=orders.projection.handles, tables=(), ddl=(), apply=flaky.apply
    )
    poison, behind, other = store.read(head, 10)
    flaky.failing = {poison.notification_id}

    outcomes = deliver(pool, [poison, behind, other], [projection])
    again = deliver(pool, [poison, behind], [projection])

    assert outcomes == [Outcome.PARKED, Outcome.PARKED, Outcome.APPLIED]
    assert again == [Outcome.SKIPPED, Outcome.SKIPPED]
    held = parked(pool, "orders")
    assert [(p.notification_id, p.key) for p in held] == [
        (poison.notification_id, str(blini.id)),
        (behind.notification_id, str(blini.id)),
    ]
    assert "RuntimeError: cannot apply" in held[0].error
    q = Queries(pool)
    day5 = DAY + dt.timedelta(days=5)
    assert [o.tg_id for o in q.orders_on(day5)] == [2001]

    assert retry_parked(pool, projection, str(blini.id)).remaining == 2
    flaky.failing = set()
    result = retry_parked(pool, projection, str(blini.id))

    assert (result.applied, result.remaining) == (2, 0)
    assert sorted(o.tg_id for o in q.orders_on(day5)) == [2001, 2002, 2003]
    assert q.applied("orders", str(blini.id)) == behind.notification_id
    assert parked(pool) == []


def test_undecodable_message_is_parked(pool: ConnectionPool) -> None:
    """A payload that does not decode is parked with the decoding error, never dropped."""
    delivery = Delivery(
        key="cafe-x",
        notification_id=7,
        type="Order.Placed",
        payload=b'{"type": "Order.Placed", "oops": 1}',
        originator_id=uuid.uuid4(),
        originator_version=1,
        partition=0,
        offset=3,
    )

    outcome = handle_message(pool, orders.projection, "g", delivery, TOPIC)

    assert outcome is Outcome.PARKED
    [held] = parked(pool, "orders")
    assert (held.notification_id, held.partition, held.offset) == (7, 0, 3)
    assert [s.parked for s in projection_status(pool, head=7) if s.projection == "orders"] == [1]


def test_rebuild_equals_live_and_hands_over(store: EventStore, pool: ConnectionPool) -> None:
    """A rebuild from the store gives the live read models; the consumer then skips what it
    replayed and applies what follows."""
    h = History()
    events, blini, _ = office_history(h)
    store.append(events)
    recorded = store.read(0, 1000)
    deliver(pool, recorded)
    live = dump(pool)

    result = rebuild(
        pool, read_batch=store.read, batch_size=7, head=store.head(), show_progress=False
    )

    assert dump(pool) == live
    assert result.events == len(recorded)
    assert result.position == store.head()
    assert set(deliver(pool, recorded)) <= {Outcome.SKIPPED, Outcome.IGNORED}
    [nid] = store.append([place(h, blini, 2002, date=DAY + dt.timedelta(days=2))])
    assert Outcome.APPLIED in deliver(pool, store.read(nid - 1, 10))
    assert Queries(pool).applied("orders", kafka_key(store.read(nid - 1, 1)[0].event)) == nid


def test_rebuild_of_one_projection_leaves_the_others(
    store: EventStore, pool: ConnectionPool
) -> None:
    """Rebuilding one projection by name touches only its tables and tracking."""
    events, _, _ = office_history(History())
    store.append(events)
    deliver(pool, store.read(0, 1000))
    with pool.connection() as conn:
        conn.execute("DELETE FROM read.employees WHERE tg_id = 2001")
        conn.execute("UPDATE read.orders SET note = 'tampered'")

    rebuild(pool, ["employees"], read_batch=store.read, show_progress=False)

    q = Queries(pool)
    assert q.employee(2001) is not None
    assert {o.note for o in q.orders_on(DAY)} == {"tampered"}
