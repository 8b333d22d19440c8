"""The Order aggregate: one per employee per date, priced on the server from the menu."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import TypeVar

import msgspec

from domain import events as ev
from domain.cafe import CafeState, check_ordering_open
from domain.employee import EmployeeState
from domain.errors import (
    CafeInactive,
    DishUnavailable,
    Forbidden,
    InvalidCombo,
    InvalidRequest,
    LimitExceeded,
    NotFound,
    OrderExists,
)
from domain.money import MAX_EXTRA_QTY
from domain.text import clean

MAX_NOTE = 500
MAX_EXTRAS = 20


class ExtraLine(msgspec.Struct, frozen=True):
    extra_id: uuid.UUID
    qty: int


class OrderRequest(msgspec.Struct, frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date
    combo_id: uuid.UUID
    dishes: Mapping[str, uuid.UUID]
    extras: Sequence[ExtraLine] = ()
    note: str = ""


class OrderState(msgspec.Struct, kw_only=True):
    """The order as it stands: its latest content, status and when it was placed and changed."""

    id: uuid.UUID
    tg_id: int
    cafe_id: uuid.UUID
    date: dt.date
    status: str
    total: int
    content: ev.OrderPlaced | ev.OrderChanged
    placed_at: dt.datetime
    updated_at: dt.datetime
    reason: str = ""


def evolve(state: OrderState | None, event: ev.Event) -> OrderState:
    if isinstance(event, ev.OrderPlaced | ev.OrderChanged):
        placed_at = event.at
        if isinstance(event, ev.OrderChanged) and state is not None:
            placed_at = state.placed_at
        return OrderState(
            id=event.order_id,
            tg_id=event.tg_id,
            cafe_id=event.cafe_id,
            date=event.date,
            status="placed",
            total=event.total,
            content=event,
            placed_at=placed_at,
            updated_at=event.at,
        )
    assert state is not None, f"{type(event).__name__} before Order.Placed"
    state.updated_at = event.at
    if isinstance(event, ev.OrderCancelled):
        state.status = "cancelled"
    elif isinstance(event, ev.OrderRejected):
        state.status, state.reason = "rejected", event.reason
    return state


class Priced(msgspec.Struct, frozen=True, kw_only=True):
    combo: ev.Combo
    dishes: tuple[ev.OrderedDish, ...]
    extras: tuple[ev.OrderedExtra, ...]
    total: int


def price_order(cafe: CafeState, request: OrderRequest) -> Priced:
    """Check the combo rules against the cafe's menu now, and compute the total."""
    combo = cafe.combo(request.combo_id)
    if combo is None:
        raise InvalidCombo("no such combo in this cafe", field="combo_id")
    dishes = _pick_dishes(cafe, combo, request.dishes)
    extras = _pick_extras(cafe, request.extras)
    total = combo.price + sum(e.price * e.qty for e in extras)
    return Priced(combo=combo, dishes=dishes, extras=extras, total=total)


def _pick_dishes(
    cafe: CafeState, combo: ev.Combo, chosen: Mapping[str, uuid.UUID]
) -> tuple[ev.OrderedDish, ...]:
    """Exactly one available dish of this cafe for each category of the combo."""
    by_category = {k.lower(): v for k, v in chosen.items()}
    if set(by_category) != set(combo.categories) or len(chosen) != len(combo.categories):
        raise InvalidCombo(
            "choose exactly one dish for each category of the combo",
            categories=list(combo.categories),
        )
    dishes = []
    for category in combo.categories:
        dish = cafe.dish(by_category[category])
        if dish is None or dish.category != category:
            raise InvalidCombo(
                f"no such {category} dish in this cafe", dish_id=str(by_category[category])
            )
        if not dish.available:
            raise DishUnavailable(f"{dish.name} is not available", dish_id=str(dish.id))
        dishes.append(ev.OrderedDish(category=category, dish_id=dish.id, name=dish.name))
    return tuple(dishes)


def _pick_extras(cafe: CafeState, lines: Sequence[ExtraLine]) -> tuple[ev.OrderedExtra, ...]:
    """Each extra at most once, 1..10 of it, available in this cafe."""
    if len(lines) > MAX_EXTRAS:
        raise InvalidRequest(f"at most {MAX_EXTRAS} extra lines", field="extras")
    if len({line.extra_id for line in lines}) != len(lines):
        raise InvalidRequest("each extra at most once", field="extras")
    extras = []
    for line in lines:
        if not 1 <= line.qty <= MAX_EXTRA_QTY:
            raise InvalidRequest(f"extra qty is 1..{MAX_EXTRA_QTY}", field="extras.qty")
        extra = cafe.extra(line.extra_id)
        if extra is None:
            raise InvalidRequest("no such extra in this cafe", extra_id=str(line.extra_id))
        if not extra.available:
            raise DishUnavailable(f"{extra.name} is not available", extra_id=str(extra.id))
        extras.append(
            ev.OrderedExtra(extra_id=extra.id, name=extra.name, qty=line.qty, price=extra.price)
        )
    return tuple(extras)


def _check(
    cafe: CafeState,
    employee: EmployeeState | None,
    request: OrderRequest,
    spent_elsewhere: int,
    now: dt.datetime,
) -> tuple[Priced, dt.datetime]:
    if employee is None or not employee.active:
        raise Forbidden("not an active employee of the office")
    clean(request.note, "note", max_length=MAX_NOTE, required=False, multiline=True)
    if not cafe.active:
        raise CafeInactive("this cafe does not take orders now", cafe_id=str(cafe.id))
    deadline = check_ordering_open(cafe, request.date, now)
    priced = price_order(cafe, request)
    limit = employee.monthly_limit
    if limit is not None and spent_elsewhere + priced.total > limit:
        raise LimitExceeded(
            "this order would exceed your monthly limit",
            limit=limit,
            spent=spent_elsewhere,
            total=priced.total,
        )
    return priced, deadline


C = TypeVar("C", bound=ev.OrderContent)


def _content(  # noqa: PLR0913 - the event's parts, each from a different source
    cls: type[C],
    *,
    order_id: uuid.UUID,
    tg_id: int,
    cafe: CafeState,
    request: OrderRequest,
    priced: Priced,
    deadline: dt.datetime,
    now: dt.datetime,
    actor: str,
) -> C:
    return cls(
        order_id=order_id,
        tg_id=tg_id,
        cafe_id=cafe.id,
        cafe_name=cafe.name,
        date=request.date,
        combo_id=priced.combo.id,
        combo_name=priced.combo.name,
        combo_price=priced.combo.price,
        dishes=priced.dishes,
        extras=priced.extras,
        total=priced.total,
        currency=cafe.currency,
        note=request.note.strip(),
        editable_until=deadline,
        at=now,
        actor=actor,
    )


def place_order(  # noqa: PLR0913
    order_id: uuid.UUID,
    existing: OrderState | None,
    cafe: CafeState,
    employee: EmployeeState | None,
    request: OrderRequest,
    *,
    spent_elsewhere: int,
    now: dt.datetime,
    actor: str,
) -> ev.OrderPlaced:
    """Place the employee's order for the date; after a cancellation it is placed anew."""
    if existing is not None and existing.status == "placed":
        raise OrderExists("you already have an order for this date", order_id=str(order_id))
    priced, deadline = _check(cafe, employee, request, spent_elsewhere, now)
    assert employee is not None
    return _content(
        ev.OrderPlaced,
        order_id=order_id,
        tg_id=employee.tg_id,
        cafe=cafe,
        request=request,
        priced=priced,
        deadline=deadline,
        now=now,
        actor=actor,
    )


def _placed(existing: OrderState | None) -> OrderState:
    if existing is None:
        raise NotFound("no such order")
    return existing


def change_order(  # noqa: PLR0913
    existing: OrderState | None,
    cafe: CafeState,
    employee: EmployeeState | None,
    request: OrderRequest,
    *,
    spent_elsewhere: int,
    now: dt.datetime,
    actor: str,
) -> ev.OrderChanged:
    """Change a placed order; its cafe and date stay (switching cafes is cancel + place)."""
    order = _placed(existing)
    if request.cafe_id != order.cafe_id or request.date != order.date:
        raise InvalidRequest("an order keeps its cafe and date", field="cafe_id")
    if order.status != "placed":
        raise InvalidRequest(f"the order is {order.status}", field="status")
    priced, deadline = _check(cafe, employee, request, spent_elsewhere, now)
    return _content(
        ev.OrderChanged,
        order_id=order.id,
        tg_id=order.tg_id,
        cafe=cafe,
        request=request,
        priced=priced,
        deadline=deadline,
        now=now,
        actor=actor,
    )


def cancel_order(
    existing: OrderState | None, cafe: CafeState, *, now: dt.datetime, actor: str
) -> ev.OrderCancelled:
    if existing is None:
        raise NotFound("no such order")
    if existing.status != "placed":
        raise InvalidRequest(f"the order is {existing.status}", field="status")
    check_ordering_open(cafe, existing.date, now)
    return ev.OrderCancelled(
        order_id=existing.id,
        tg_id=existing.tg_id,
        cafe_id=existing.cafe_id,
        date=existing.date,
        at=now,
        actor=actor,
    )


def reject_order(
    existing: OrderState | None, reason: str, *, now: dt.datetime, actor: str
) -> list[ev.Event]:
    """Reject an order that reached the log after its cafe-day closed (idempotent)."""
    if existing is None or existing.status != "placed":
        return []
    return [
        ev.OrderRejected(
            order_id=existing.id,
            tg_id=existing.tg_id,
            cafe_id=existing.cafe_id,
            date=existing.date,
            reason=reason,
            at=now,
            actor=actor,
        )
    ]
