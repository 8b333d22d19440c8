"""A cafe-day's sheet and a period's report: counts and totals over the sheets model."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from projections.reads.results.office import DispatchStatus, OrderStatus


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
