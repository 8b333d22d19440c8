"""The Order aggregate: one per employee per date, priced on the server from the menu."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TypeVar

import msgspec

from domain import events as ev
from domain.cafe import CafeState
from domain.cafe_days import check_ordering_open
from domain.employee import EmployeeState
from domain.errors import (
    CafeInactive,
    Forbidden,
    InvalidRequest,
    LimitExceeded,
    NotFound,
    OrderExists,
)
from domain.pricing import ExtraLine, OrderRequest, Priced, price_order
from domain.text import clean

MAX_NOTE = 500

# The request shapes live with the pricing; callers keep importing them from here.
__all__ = [
    "ExtraLine",
    "OrderRequest",
    "OrderState",
    "cancel_order",
    "change_order",
    "evolve",
    "place_order",
    "reject_order",
]


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
