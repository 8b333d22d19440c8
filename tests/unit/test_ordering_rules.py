"""Order rules: combos, stop-list, extras, totals, limits, deadlines and replay."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain import cafe as cafe_model
from domain import events as ev
from domain import order as order_model
from domain.employee import EmployeeState
from domain.errors import (
    CafeInactive,
    DishUnavailable,
    InvalidCombo,
    InvalidRequest,
    LimitExceeded,
    OrderExists,
    OrderingClosed,
)
from domain.schedule import cutoff_at

NOW = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)  # Thursday, 09:00 in Moscow
DAY = dt.date(2026, 11, 26)
CATEGORIES = ("salad", "soup", "main")


def make_cafe(dishes_per_category: int = 2, *, unavailable: int = 0) -> cafe_model.CafeState:
    cafe = cafe_model.CafeState(
        id=uuid.UUID(int=7), name="Blini", timezone="Europe/Moscow", currency="RUB"
    )
    n = 0
    dishes = []
    for category in CATEGORIES:
        for i in range(dishes_per_category):
            n += 1
            dishes.append(
                ev.Dish(
                    id=uuid.UUID(int=100 + n),
                    name=f"{category} {i}",
                    category=category,
                    price=1000 * n,
                    available=n > unavailable,
                )
            )
    cafe.dishes = tuple(dishes)
    cafe.extras = (
        ev.Extra(id=uuid.UUID(int=900), name="Bread", price=2000),
        ev.Extra(id=uuid.UUID(int=901), name="Tea", price=5000, available=False),
    )
    cafe.combos = (
        ev.Combo(id=uuid.UUID(int=50), name="Full", price=45000, categories=CATEGORIES),
        ev.Combo(id=uuid.UUID(int=51), name="Soup+main", price=38000, categories=("soup", "main")),
    )
    cafe.weekdays, cafe.cutoff = (0, 1, 2, 3, 4), "11:00"
    return cafe


EMPLOYEE = EmployeeState(tg_id=2001, name="Ann", office="HQ", role="employee")


def request(
    cafe: cafe_model.CafeState, combo: int = 50, extras: tuple[tuple[int, int], ...] = ()
) -> order_model.OrderRequest:
    chosen = cafe.combo(uuid.UUID(int=combo))
    assert chosen is not None
    dishes = {c: next(d.id for d in cafe.dishes if d.category == c) for c in chosen.categories}
    return order_model.OrderRequest(
        cafe_id=cafe.id,
        date=DAY,
        combo_id=chosen.id,
        dishes=dishes,
        extras=[order_model.ExtraLine(uuid.UUID(int=e), q) for e, q in extras],
    )


def place(
    cafe: cafe_model.CafeState,
    req: order_model.OrderRequest,
    *,
    now: dt.datetime = NOW,
    spent: int = 0,
    employee: EmployeeState = EMPLOYEE,
    existing: order_model.OrderState | None = None,
) -> ev.OrderPlaced:
    return order_model.place_order(
        uuid.UUID(int=1),
        existing,
        cafe,
        employee,
        req,
        spent_elsewhere=spent,
        now=now,
        actor="2001",
    )


def test_total_is_combo_plus_extras() -> None:
    """The server prices the order: combo price plus each extra times its quantity."""
    cafe = make_cafe()
    placed = place(cafe, request(cafe, extras=((900, 3),)))
    assert placed.total == 45000 + 3 * 2000
    assert [d.category for d in placed.dishes] == list(CATEGORIES)
    assert placed.editable_until == dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


@given(picks=st.dictionaries(st.sampled_from([*CATEGORIES, "dessert"]), st.integers(1, 6)))
def test_exactly_one_dish_per_combo_category(picks: dict[str, int]) -> None:
    """A request is accepted iff it names exactly the combo's categories with matching dishes."""
    cafe = make_cafe()
    req = order_model.OrderRequest(
        cafe_id=cafe.id,
        date=DAY,
        combo_id=uuid.UUID(int=50),
        dishes={c: uuid.UUID(int=100 + n) for c, n in picks.items()},
    )
    right = set(picks) == set(CATEGORIES) and all(
        cafe.dish(uuid.UUID(int=100 + n)).category == c  # type: ignore[union-attr]
        for c, n in picks.items()
    )
    if right:
        assert place(cafe, req).total == 45000
    else:
        with pytest.raises(InvalidCombo):
            place(cafe, req)


@given(qty=st.integers(-(2**63), 2**63 - 1))
def test_extra_quantity_is_bounded(qty: int) -> None:
    """Extras come in 1..10; anything else is refused."""
    cafe = make_cafe()
    req = request(cafe, extras=((900, qty),))
    if 1 <= qty <= 10:
        assert place(cafe, req).total == 45000 + qty * 2000
    else:
        with pytest.raises(InvalidRequest):
            place(cafe, req)


def test_stop_list_and_inactive_cafe() -> None:
    """Unavailable dishes and extras are refused, and so is an inactive cafe."""
    cafe = make_cafe(unavailable=1)
    with pytest.raises(DishUnavailable):
        place(cafe, request(cafe))
    cafe = make_cafe()
    with pytest.raises(DishUnavailable):
        place(cafe, request(cafe, extras=((901, 1),)))
    cafe.active = False
    with pytest.raises(CafeInactive):
        place(cafe, request(cafe))


def test_one_order_per_date_and_monthly_limit() -> None:
    """A second placement is order_exists; a total over the limit is limit_exceeded."""
    cafe = make_cafe()
    placed = place(cafe, request(cafe))
    state = order_model.evolve(None, placed)
    with pytest.raises(OrderExists):
        place(cafe, request(cafe), existing=state)
    limited = EmployeeState(tg_id=2001, name="A", office="HQ", role="employee", monthly_limit=50000)
    with pytest.raises(LimitExceeded):
        place(cafe, request(cafe), employee=limited, spent=10000)
    assert place(cafe, request(cafe), employee=limited, spent=5000).total == 45000


@given(minutes=st.integers(-600, 600))
def test_deadline_is_the_cutoff_in_cafe_time(minutes: int) -> None:
    """Before 11:00 Moscow time ordering is open; at or after it, it is closed."""
    cafe = make_cafe()
    cutoff = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
    now = cutoff + dt.timedelta(minutes=minutes)
    if now < cutoff:
        assert place(cafe, request(cafe), now=now).editable_until == cutoff
    else:
        with pytest.raises(OrderingClosed):
            place(cafe, request(cafe), now=now)


@given(
    date=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
    zone=st.sampled_from(
        ["Europe/London", "America/New_York", "Australia/Sydney", "Europe/Moscow"]
    ),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 59]),
)
def test_cutoff_is_dst_safe(date: dt.date, zone: str, hour: int, minute: int) -> None:
    """The cutoff instant reads as the cutoff on that date in the cafe's zone, DST or not."""
    from zoneinfo import ZoneInfo

    cutoff = f"{hour:02d}:{minute:02d}"
    instant = cutoff_at(date, weekdays=range(7), cutoff=cutoff, timezone=zone)
    assert instant is not None
    assert instant.tzinfo is dt.UTC
    local = instant.astimezone(ZoneInfo(zone))
    assert local.date() == date
    wall = dt.datetime.combine(date, dt.time(hour, minute))
    roundtrip = local.replace(tzinfo=None)
    # Only a wall time inside a spring-forward gap may move, and by at most the gap.
    assert roundtrip == wall or abs(roundtrip - wall) <= dt.timedelta(hours=1)


def test_dst_change_day_cutoff() -> None:
    """On the day clocks change, the cutoff is still 11:00 local (UTC offset differs)."""
    before = cutoff_at(
        dt.date(2026, 3, 28), weekdays=range(7), cutoff="11:00", timezone="Europe/London"
    )
    after = cutoff_at(
        dt.date(2026, 3, 29), weekdays=range(7), cutoff="11:00", timezone="Europe/London"
    )
    assert before == dt.datetime(2026, 3, 28, 11, 0, tzinfo=dt.UTC)
    assert after == dt.datetime(2026, 3, 29, 10, 0, tzinfo=dt.UTC)


def test_closed_day_and_days_not_served() -> None:
    """A closed cafe-day, a weekend day and a holiday all refuse orders."""
    cafe = make_cafe()
    cafe.closed.append(DAY)
    with pytest.raises(OrderingClosed):
        place(cafe, request(cafe))
    cafe = make_cafe()
    saturday = order_model.OrderRequest(
        cafe_id=cafe.id,
        date=dt.date(2026, 11, 28),
        combo_id=uuid.UUID(int=51),
        dishes={"soup": uuid.UUID(int=103), "main": uuid.UUID(int=105)},
    )
    with pytest.raises(OrderingClosed):
        place(cafe, saturday)


@given(events=st.lists(st.sampled_from(["rename", "menu", "close", "deactivate", "activate"])))
def test_replay_is_deterministic(events: list[str]) -> None:
    """Folding the same history twice gives the same cafe state."""
    assume(len(events) < 30)
    history: list[ev.Event] = [
        ev.CafeRegistered(cafe_id=uuid.UUID(int=7), name="A", timezone="UTC", at=NOW, actor="1")
    ]
    for i, kind in enumerate(events):
        at = NOW + dt.timedelta(minutes=i)
        cafe_id = uuid.UUID(int=7)
        history.append(
            {
                "rename": ev.CafeRenamed(cafe_id=cafe_id, name=f"N{i}", at=at, actor="1"),
                "menu": ev.MenuSet(cafe_id=cafe_id, dishes=(), extras=(), at=at, actor="1"),
                "close": ev.OrderingClosed(cafe_id=cafe_id, date=DAY, at=at, actor="1"),
                "deactivate": ev.CafeDeactivated(cafe_id=cafe_id, at=at, actor="1"),
                "activate": ev.CafeActivated(cafe_id=cafe_id, at=at, actor="1"),
            }[kind]
        )

    def fold() -> cafe_model.CafeState:
        state = None
        for event in history:
            state = cafe_model.evolve(state, event)
        assert state is not None
        return state

    assert fold() == fold()
