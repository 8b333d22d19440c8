"""Placing and changing an order: who may, whether the day is open, the monthly limit, and
the content priced on the server from the menu."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, TypeVar

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
from domain.pricing import OrderRequest, Priced, price_order
from domain.text import clean

if TYPE_CHECKING:
    from domain.order import OrderState

MAX_NOTE = 500


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
