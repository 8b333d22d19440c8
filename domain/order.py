"""The Order aggregate: one per employee per date, priced on the server from the menu.

Its state, its fold, cancelling and rejecting live here; placing and changing (the checks
and the priced content) in ``domain.placement``.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from domain import events as ev
from domain.cafe import CafeState
from domain.cafe_days import check_ordering_open
from domain.errors import InvalidRequest, NotFound
from domain.placement import change_order, place_order
from domain.pricing import ExtraLine, OrderRequest

# The request shapes live in domain.pricing, placing and changing in domain.placement;
# callers reach the whole order through this module.
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
