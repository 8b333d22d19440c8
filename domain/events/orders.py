"""Order events, and what each order counts toward its employee's monthly limit."""

from __future__ import annotations

import datetime as dt
import uuid

from domain.events.base import Event, OrderedDish, OrderedExtra

# --- Order (aggregate id: order_id(tg_id, date)) ---------------------------------------


class OrderContent(Event, frozen=True):
    """What an order holds: server-computed names, prices and total, frozen at that moment."""

    order_id: uuid.UUID
    tg_id: int
    cafe_id: uuid.UUID
    cafe_name: str
    date: dt.date
    combo_id: uuid.UUID
    combo_name: str
    combo_price: int
    dishes: tuple[OrderedDish, ...]
    extras: tuple[OrderedExtra, ...]
    total: int
    currency: str
    note: str = ""
    editable_until: dt.datetime | None = None


class OrderPlaced(OrderContent, frozen=True, tag="Order.Placed"):
    """An employee's order for a date, placed (or placed anew after a cancellation)."""


class OrderChanged(OrderContent, frozen=True, tag="Order.Changed"):
    """The order's new content; its cafe and date stay."""


class OrderCancelled(Event, frozen=True, tag="Order.Cancelled"):
    order_id: uuid.UUID
    tg_id: int
    cafe_id: uuid.UUID
    date: dt.date


class OrderRejected(Event, frozen=True, tag="Order.Rejected"):
    """The order reached the log after its cafe-day closed; it will not be delivered."""

    order_id: uuid.UUID
    tg_id: int
    cafe_id: uuid.UUID
    date: dt.date
    reason: str


# --- Employee month (aggregate id: month_spend_id(tg_id, month)) -----------------------


class SpendRecorded(Event, frozen=True, tag="EmployeeMonth.SpendRecorded"):
    """What one order now counts toward its employee's monthly limit (0: nothing, as
    when cancelled or rejected). Appended with the order's own event, in one write."""

    tg_id: int
    month: dt.date
    order_id: uuid.UUID
    amount: int
