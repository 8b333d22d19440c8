"""A rebuild's loaders (orders new to it folded and copied) leave the rows of the per-event
path, for any history of order events and closures and any cut into batches, some of them
applied event by event as after a failed batch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from psycopg_pool import ConnectionPool

from commands.store import EventStore
from domain import events as ev
from domain.events import Recorded
from projections.engine.base import Projection
from projections.engine.rebuild import rebuild
from projections.models import menus, orders, sheets
from tests.integration.history import DAY, History, cancel, office_history, place
from tests.integration.read_side import deliver, dump
from tests.integration.test_rebuild_batches import ORDER_HISTORIES, failing
from tests.integration.test_sheet_batches import LATE_CANCEL, ORDERS, sheet_events

# Text that COPY's format must escape, in plain and in JSON columns.
_PLACED = msgspec.structs.replace(
    next(e for e in LATE_CANCEL if isinstance(e, ev.OrderPlaced)),
    note="tab\there\nnew line\r\\N \\",
    combo_name="C:\\combo",
    dishes=(ev.OrderedDish(category="soup\t", dish_id=ORDERS[1], name='"two"\nlines\\'),),
)
_LATER = _PLACED.at + dt.timedelta(hours=1)
# Placed again, and changed after a cancellation: each time placed anew (placed_at moves).
PLACED_ANEW = [
    _PLACED,
    msgspec.structs.replace(_PLACED, at=_LATER),
    ev.OrderCancelled(order_id=_PLACED.order_id, tg_id=1, cafe_id=_PLACED.cafe_id,
                      date=_PLACED.date, at=_LATER, actor="1"),
    ev.OrderChanged(**{**msgspec.structs.asdict(_PLACED), "at": _LATER + dt.timedelta(hours=1)}),
]  # fmt: skip
CUTS = st.lists(st.tuples(st.integers(1, 8), st.booleans()), min_size=1, max_size=5)


def _rows(conn: Any, projection: Projection) -> list[list[Any]]:
    return [
        conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        for table in projection.tables
    ]


def _replay(
    pool: ConnectionPool,
    projection: Projection,
    events: list[ev.AnyEvent],
    cuts: list[tuple[int, bool]],
) -> None:
    recorded = [
        Recorded(notification_id=n, originator_id=ORDERS[0], originator_version=n, event=event)
        for n, event in enumerate(events, start=1)
    ]
    handled = [r for r in recorded if type(r.event).__struct_config__.tag in projection.handles]
    assert projection.loader is not None
    results = []
    with pool.connection() as conn:
        for one_by_one in (True, False):
            for table in projection.tables:
                conn.execute(f"DELETE FROM {table}")
            cur = conn.cursor()
            if one_by_one:
                for r in handled:
                    projection.apply(cur, r)
            else:
                loader = projection.loader()
                start, cut = 0, 0
                while start < len(handled):
                    size, alone = cuts[cut % len(cuts)]
                    batch = handled[start : start + size]
                    if alone:
                        for r in batch:
                            projection.apply(cur, r)
                        loader.relearn(cur, batch)
                    else:
                        loader.apply_many(cur, batch)
                        loader.copy(cur)
                    start, cut = start + size, cut + 1
            results.append(_rows(conn, projection))
            conn.rollback()
    assert results[0] == results[1]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(events=PLACED_ANEW, cuts=[(8, False)])
@given(events=ORDER_HISTORIES, cuts=CUTS)
def test_orders_loader_equals_apply_in_turn(
    pool: ConnectionPool, events: list[ev.AnyEvent], cuts: list[tuple[int, bool]]
) -> None:
    """The orders' loader leaves the rows of applying each event in turn."""
    _replay(pool, orders.projection, events, cuts)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(events=LATE_CANCEL, cuts=[(8, False)])
@example(events=LATE_CANCEL, cuts=[(2, False), (1, True), (1, False)])
@given(events=st.lists(sheet_events(), max_size=30), cuts=CUTS)
def test_sheets_loader_equals_apply_in_turn(
    pool: ConnectionPool, events: list[ev.AnyEvent], cuts: list[tuple[int, bool]]
) -> None:
    """The sheets' loader leaves the rows (lateness included) of applying each event in
    turn, across batches and after batches applied event by event."""
    _replay(pool, sheets.projection, events, cuts)


def test_loaders_carry_on_after_a_batch_handled_event_by_event(
    store: EventStore, pool: ConnectionPool
) -> None:
    """When another projection's event fails a batch, the batch is handled event by event
    and the orders' and sheets' loaders carry on from it: their rows and tracking equal
    the consumer's."""
    h = History()
    events, blini, _pho = office_history(h)
    later = [DAY + dt.timedelta(days=d) for d in range(1, 5)]
    events += [place(h, blini, 2002, date=date) for date in later]
    events += [cancel(h, blini, 2002, date=later[1]), place(h, blini, 2001, date=later[0])]
    store.append(events)
    recorded = store.read(0, 1000)
    poison = next(r for r in recorded if isinstance(r.event, ev.AvailabilityChanged))
    loaded = [orders.projection, sheets.projection]

    rebuild(
        pool,
        [failing(menus.projection, {poison.notification_id}), *loaded],
        read_batch=store.read,
        batch_size=4,
        show_progress=False,
    )
    rebuilt = dump(pool, loaded)
    with pool.connection() as conn:
        tables = ", ".join(table for p in loaded for table in p.tables)
        conn.execute(f"TRUNCATE {tables}, read.parked")
        conn.execute("DELETE FROM read.tracking")
    deliver(pool, recorded, loaded)

    assert dump(pool, loaded) == rebuilt
