"""The rebuild's batches: results independent of batch size, parking as the consumer parks,
and a projection's batch path equal to its per-event path."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import Cursor
from psycopg_pool import ConnectionPool

from commands.store import EventStore
from domain import events as ev
from domain.events import Recorded
from projections.engine.base import Projection
from projections.engine.handling import Outcome
from projections.engine.parking import parked
from projections.engine.rebuild import rebuild
from projections.models import menus, orders
from projections.models.catalogue import ALL
from tests.integration.history import DAY, History, office_history, place
from tests.integration.read_side import deliver, dump, expected_tracking


class Failing:
    """A projection's apply that fails on chosen notification ids."""

    def __init__(self, apply: Any, failing: set[int]) -> None:
        self.inner = apply
        self.failing = failing

    def __call__(self, cur: Cursor[Any], recorded: Recorded) -> None:
        if recorded.notification_id in self.failing:
            raise RuntimeError("cannot apply")
        self.inner(cur, recorded)


def failing(projection: Projection, failing: set[int]) -> Projection:
    return Projection(
        name=projection.name,
        handles=projection.handles,
        tables=projection.tables,
        ddl=projection.ddl,
        apply=Failing(projection.apply, failing),
    )


def test_batch_size_changes_nothing(store: EventStore, pool: ConnectionPool) -> None:
    """Rebuilds in batches of 1, 4 and 1000 events leave the same rows and tracking, one row
    per key holding the key's last notification id."""
    h = History()
    events, blini, pho = office_history(h)
    events += [place(h, cafe, 2002, date=DAY + dt.timedelta(days=d)) for d in range(2, 9)
               for cafe in (blini, pho)]  # fmt: skip
    store.append(events)
    recorded = store.read(0, 1000)

    last = recorded[-1].notification_id
    dumps = []
    for size in (1, 4, 1000):
        result = rebuild(pool, read_batch=store.read, batch_size=size, show_progress=False)
        assert (result.events, result.position, result.parked) == (len(recorded), last, 0)
        dumps.append(dump(pool))

    assert dumps[0] == dumps[1] == dumps[2]
    for projection in ALL:
        assert dumps[0][f"tracking:{projection.name}"] == expected_tracking(recorded, projection)


def test_a_failing_event_is_parked_and_the_rest_of_its_batch_applies(
    store: EventStore, pool: ConnectionPool
) -> None:
    """In a rebuild, an event that fails is parked with its error as the consumer would park
    it; its key's later events wait behind it; other keys and projections apply."""
    h = History()
    events, blini, pho = office_history(h)
    store.append(events)
    head = store.head()
    store.append(
        [
            place(h, blini, 2002, date=DAY + dt.timedelta(days=5)),
            place(h, pho, 2001, date=DAY + dt.timedelta(days=5)),
            place(h, blini, 2003, date=DAY + dt.timedelta(days=5)),
            place(h, blini, 2001, date=DAY + dt.timedelta(days=6)),
        ]
    )
    poison, other, behind, later = store.read(head, 10)
    broken = failing(orders.projection, {poison.notification_id})
    chosen = [menus.projection, broken]

    result = rebuild(pool, chosen, read_batch=store.read, batch_size=1000, show_progress=False)
    rebuilt = dump(pool, chosen)
    held = [(p.notification_id, p.key, p.error) for p in parked(pool, "orders")]

    assert result.parked == 3
    waiting = f"waiting behind parked notification {poison.notification_id}"
    assert held == [
        (poison.notification_id, str(blini.id), "RuntimeError: cannot apply"),
        (behind.notification_id, str(blini.id), waiting),
        (later.notification_id, str(blini.id), waiting),
    ]
    ordered = {(row[1], row[4]) for row in rebuilt["read.orders"]}
    assert (2001, DAY + dt.timedelta(days=5)) in ordered
    assert (2002, DAY + dt.timedelta(days=5)) not in ordered
    tracking = dict(rebuilt["tracking:orders"])
    assert tracking[str(pho.id)] == other.notification_id
    assert tracking[str(blini.id)] < poison.notification_id

    with pool.connection() as conn:
        conn.execute("TRUNCATE read.orders, read.menus, read.menu_closures, read.parked")
        conn.execute("DELETE FROM read.tracking")
    outcomes = deliver(pool, store.read(0, 1000), chosen)
    assert outcomes.count(Outcome.PARKED) == 3
    assert dump(pool, chosen) == rebuilt
    assert [(p.notification_id, p.key, p.error) for p in parked(pool, "orders")] == held


ORDERS = [uuid.UUID(int=n) for n in (1, 2, 3)]
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)
INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
TIMES = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1), timezones=st.just(dt.UTC)
)
DISHES = st.lists(
    st.builds(ev.OrderedDish, category=TEXT, dish_id=st.uuids(), name=TEXT), max_size=3
).map(tuple)
EXTRAS = st.lists(
    st.builds(ev.OrderedExtra, extra_id=st.uuids(), name=TEXT, qty=INT64, price=INT64), max_size=2
).map(tuple)


def order_events() -> st.SearchStrategy[ev.OrderEvent]:
    common: dict[str, Any] = {
        "at": TIMES,
        "actor": TEXT,
        "order_id": st.sampled_from(ORDERS),
        "tg_id": INT64,
        "cafe_id": st.uuids(),
        "date": st.dates(),
    }
    content = {
        **common,
        "cafe_name": TEXT,
        "combo_id": st.uuids(),
        "combo_name": TEXT,
        "combo_price": INT64,
        "dishes": DISHES,
        "extras": EXTRAS,
        "total": INT64,
        "currency": TEXT,
        "note": TEXT,
        "editable_until": st.none() | TIMES,
    }
    return st.one_of(
        st.builds(ev.OrderPlaced, **content),
        st.builds(ev.OrderChanged, **content),
        st.builds(ev.OrderCancelled, **common),
        st.builds(ev.OrderRejected, **common, reason=TEXT),
    )


ORDER_HISTORIES = st.lists(order_events(), max_size=20)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=ORDER_HISTORIES, sizes=st.lists(st.integers(1, 8), min_size=1, max_size=5))
def test_orders_apply_many_equals_apply_in_turn(
    pool: ConnectionPool, events: list[ev.OrderEvent], sizes: list[int]
) -> None:
    """The orders projection's batch path leaves the rows its per-event path leaves, for any
    history and any cut into batches."""
    recorded = [
        Recorded(notification_id=n, originator_id=ORDERS[0], originator_version=n, event=event)
        for n, event in enumerate(events, start=1)
    ]
    assert orders.projection.apply_many is not None
    rows = []
    with pool.connection() as conn:
        for one_by_one in (True, False):
            conn.execute("DELETE FROM read.orders")
            cur = conn.cursor()
            if one_by_one:
                for r in recorded:
                    orders.apply(cur, r)
            else:
                start, cut = 0, 0
                while start < len(recorded):
                    size = sizes[cut % len(sizes)]
                    orders.projection.apply_many(cur, recorded[start : start + size])
                    start, cut = start + size, cut + 1
            rows.append(conn.execute("SELECT * FROM read.orders ORDER BY order_id").fetchall())
            conn.rollback()

    assert rows[0] == rows[1]
