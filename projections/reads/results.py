"""What queries return: Structs named like the contract's JSON, ready to serialise."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import msgspec

# A menu's and an order's parts read back exactly as the events carry them.
from domain.events import Combo as ComboView
from domain.events import Dish as DishView
from domain.events import Extra as ExtraView
from domain.events import OrderedDish as OrderedDishView
from domain.events import OrderedExtra as OrderedExtraView


class CafeView(msgspec.Struct, frozen=True, kw_only=True):
    """A cafe with its schedule and menu; ``deadline``/``ordering_open`` are the API's."""

    id: uuid.UUID
    name: str
    timezone: str
    currency: str
    active: bool
    linked: bool
    chat_id: int | None
    weekdays: tuple[int, ...]
    cutoff: str | None
    holidays: tuple[dt.date, ...]
    dishes: tuple[DishView, ...]
    extras: tuple[ExtraView, ...]
    combos: tuple[ComboView, ...]


OrderStatus = Literal["placed", "cancelled", "rejected"]


class OrderView(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    tg_id: int
    cafe_id: uuid.UUID
    cafe_name: str
    date: dt.date
    combo_id: uuid.UUID
    combo_name: str
    dishes: tuple[OrderedDishView, ...]
    extras: tuple[OrderedExtraView, ...]
    total: int
    currency: str
    note: str
    status: OrderStatus
    placed_at: dt.datetime
    updated_at: dt.datetime
    editable_until: dt.datetime | None


class EmployeeView(msgspec.Struct, frozen=True, kw_only=True):
    tg_id: int
    name: str
    office: str
    role: str
    active: bool
    monthly_limit: int | None


class Spending(msgspec.Struct, frozen=True, kw_only=True):
    """Placed orders of one employee over a period, and what they cost."""

    orders: int
    total: int


# --- cafe-day sheets and reports -----------------------------------------------------------


class DishCount(msgspec.Struct, frozen=True, kw_only=True):
    dish_id: uuid.UUID
    name: str
    category: str
    count: int


class ExtraCount(msgspec.Struct, frozen=True, kw_only=True):
    extra_id: uuid.UUID
    name: str
    qty: int
    total: int


class ComboCount(msgspec.Struct, frozen=True, kw_only=True):
    combo_id: uuid.UUID
    name: str
    count: int


class SheetLine(msgspec.Struct, frozen=True, kw_only=True):
    """One person's order on a cafe-day sheet: dishes and extras as printable names."""

    order_id: uuid.UUID
    tg_id: int
    name: str
    office: str
    combo_name: str
    dishes: tuple[str, ...]
    extras: tuple[str, ...]
    total: int
    note: str
    status: OrderStatus
    late: bool
    reason: str | None


DispatchStatus = Literal["sent", "failed", "acknowledged", "logged", "in_doubt"]


class CafeDaySheet(msgspec.Struct, frozen=True, kw_only=True):
    """A cafe-day's orders: counts and totals over placed, on-time orders (``orders``);
    late ones (after the closure) are listed apart in ``late``, whatever their status."""

    cafe_id: uuid.UUID
    cafe_name: str
    date: dt.date
    as_of: dt.datetime | None
    closed: bool
    closed_at: dt.datetime | None
    early: bool
    dispatch_status: DispatchStatus | None
    dispatched_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    orders_count: int
    total: int
    currency: str
    combos: tuple[ComboCount, ...]
    dishes: tuple[DishCount, ...]
    extras: tuple[ExtraCount, ...]
    orders: tuple[SheetLine, ...]
    late: tuple[SheetLine, ...]


class CafeDayTotal(msgspec.Struct, frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    cafe_name: str
    date: dt.date
    orders_count: int
    total: int
    currency: str


class EmployeeSpend(msgspec.Struct, frozen=True, kw_only=True):
    tg_id: int
    name: str
    office: str
    orders_count: int
    total: int
    currency: str


class PeriodReport(msgspec.Struct, frozen=True, kw_only=True):
    """Placed, on-time orders between two dates (inclusive): per cafe-day and per employee."""

    date_from: dt.date = msgspec.field(name="from")
    date_to: dt.date = msgspec.field(name="to")
    orders_count: int
    totals: dict[str, int]
    cafes: tuple[CafeDayTotal, ...]
    employees: tuple[EmployeeSpend, ...]


# --- employee stats, link requests, dispatches ------------------------------------------


class FavouriteDish(msgspec.Struct, frozen=True, kw_only=True):
    dish_id: uuid.UUID
    name: str
    count: int


class EmployeeStats(msgspec.Struct, frozen=True, kw_only=True):
    """Placed orders between two dates (a month) against the monthly limit, and the
    dishes ordered most often overall."""

    tg_id: int
    date_from: dt.date = msgspec.field(name="from")
    date_to: dt.date = msgspec.field(name="to")
    monthly_limit: int | None
    spent: int
    orders: int
    remaining: int | None
    favourite_dishes: tuple[FavouriteDish, ...]


LinkStatus = Literal["pending", "approved", "rejected"]


class LinkRequestView(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    chat_id: int
    chat_title: str
    requested_by: int
    requested_at: dt.datetime
    status: LinkStatus
    cafe_id: uuid.UUID | None
    reason: str | None
    decided_at: dt.datetime | None


class DispatchView(msgspec.Struct, frozen=True, kw_only=True):
    date: dt.date
    status: DispatchStatus
    sent_at: dt.datetime
    acknowledged_at: dt.datetime | None
    text: str
    error: str | None
    chat_id: int | None
    message_ids: tuple[int, ...]
