"""The sheets projection's batch path leaves the rows its per-event path leaves."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from psycopg_pool import ConnectionPool

from domain import events as ev
from domain.events import Recorded
from projections.models import sheets
from tests.integration.test_rebuild_batches import DISHES, EXTRAS, INT64, TEXT, TIMES

ORDERS = [uuid.UUID(int=n) for n in (1, 2, 3)]
CAFES = [uuid.UUID(int=n) for n in (10, 11)]
DATES = [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]


def sheet_events() -> st.SearchStrategy[ev.AnyEvent]:
    """Order events and closures over few cafes and dates, so lateness comes into play, and
    the profiles of the people who order."""
    where: dict[str, Any] = {"cafe_id": st.sampled_from(CAFES), "date": st.sampled_from(DATES)}
    common: dict[str, Any] = {
        **where,
        "at": TIMES,
        "actor": TEXT,
        "order_id": st.sampled_from(ORDERS),
        "tg_id": st.integers(1, 3),
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
        st.builds(ev.OrderingClosed, **where, at=TIMES, actor=TEXT, early=st.booleans()),
        st.builds(ev.CafeRenamed, cafe_id=st.sampled_from(CAFES), name=TEXT, at=TIMES, actor=TEXT),
        *people_events(),
    )


def people_events() -> tuple[st.SearchStrategy[ev.AnyEvent], ...]:
    """Registrations (batched when consecutive), updates and limits of three people."""
    who: dict[str, Any] = {"tg_id": st.integers(1, 3), "at": TIMES, "actor": TEXT}
    limit = st.none() | INT64
    return (
        st.builds(ev.EmployeeRegistered, **who, name=TEXT, office=TEXT, monthly_limit=limit),
        st.builds(ev.EmployeeUpdated, **who, name=TEXT, office=TEXT, role=TEXT),
        st.builds(ev.MonthlyLimitSet, **who, monthly_limit=limit),
    )


def _rows(conn: Any) -> list[list[Any]]:
    return [
        conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        for table in sheets.projection.tables
    ]


_AT = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
_WHERE: dict[str, Any] = {"cafe_id": CAFES[0], "date": DATES[0], "at": _AT, "actor": "1"}
_ORDER: dict[str, Any] = {**_WHERE, "order_id": ORDERS[0], "tg_id": 1}
# Placed, closed, then cancelled in one batch: the cancellation is late (after the closure).
LATE_CANCEL = [
    ev.EmployeeRegistered(tg_id=1, name="Anna", office="HQ", at=_AT, actor="1"),
    ev.OrderPlaced(
        **_ORDER,
        cafe_name="Blini",
        combo_id=uuid.UUID(int=7),
        combo_name="Full",
        combo_price=45000,
        dishes=(),
        extras=(),
        total=45000,
        currency="RUB",
    ),
    ev.OrderingClosed(**_WHERE),
    ev.OrderCancelled(**_ORDER),
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(events=LATE_CANCEL, sizes=[8])
@given(
    events=st.lists(sheet_events(), max_size=30),
    sizes=st.lists(st.integers(1, 8), min_size=1, max_size=5),
)
def test_sheets_apply_many_equals_apply_in_turn(
    pool: ConnectionPool, events: list[ev.AnyEvent], sizes: list[int]
) -> None:
    """For any history of orders, closures and people's profiles and any cut into batches,
    the sheets' batch path leaves the rows (lateness included) of applying each in turn."""
    recorded = [
        Recorded(notification_id=n, originator_id=ORDERS[0], originator_version=n, event=event)
        for n, event in enumerate(events, start=1)
    ]
    apply_many = sheets.projection.apply_many
    assert apply_many is not None
    results = []
    with pool.connection() as conn:
        for one_by_one in (True, False):
            cur = conn.cursor()
            if one_by_one:
                for r in recorded:
                    sheets.projection.apply(cur, r)
            else:
                start, cut = 0, 0
                while start < len(recorded):
                    size = sizes[cut % len(sizes)]
                    apply_many(cur, recorded[start : start + size])
                    start, cut = start + size, cut + 1
            results.append(_rows(conn))
            conn.rollback()

    assert results[0] == results[1]
