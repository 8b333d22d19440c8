"""What queries return: Structs named like the contract's JSON, ready to serialise."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import msgspec


class DishView(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    category: str
    price: int
    available: bool = True
    description: str = ""


class ExtraView(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    price: int
    available: bool = True


class ComboView(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    price: int
    categories: tuple[str, ...]


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


class OrderedDishView(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    dish_id: uuid.UUID
    name: str


class OrderedExtraView(msgspec.Struct, frozen=True, kw_only=True):
    extra_id: uuid.UUID
    name: str
    qty: int
    price: int


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
