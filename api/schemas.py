"""Request and response bodies shared by several routes (snake_case, as in the contract)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

from domain.errors import InvalidRequest
from domain.money import MAX_EXTRA_QTY
from domain.text import LINE_PATTERN, TEXT_PATTERN
from projections.reads.results import EmployeeView

TgId = Annotated[int, msgspec.Meta(gt=0, lt=2**53)]
Qty = Annotated[int, msgspec.Meta(ge=1, le=MAX_EXTRA_QTY)]
Category = Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=LINE_PATTERN)]
Note = Annotated[str, msgspec.Meta(max_length=500, pattern=TEXT_PATTERN)]


# Calendar dates the API accepts: far beyond any lunch, and far from datetime's limits
# (a cutoff near year 1 or 9999 cannot be converted between timezones).
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)


def check_date(date: dt.date, field: str = "date") -> dt.date:
    if not FIRST_DATE <= date <= LAST_DATE:
        raise InvalidRequest(f"{field} must be between {FIRST_DATE} and {LAST_DATE}", field=field)
    return date


class Body(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of request bodies: unknown fields are refused, so typos do not pass silently."""


class CafeOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    timezone: str
    currency: str
    active: bool
    linked: bool
    deadline: dt.datetime | None
    ordering_open: bool
    date: dt.date
    weekdays: list[int]
    cutoff: str | None


class DishOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    category: str
    price: int
    available: bool
    description: str
    tags: list[str]


class ComboOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    price: int
    categories: list[str]


class ExtraOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    price: int
    available: bool


class MenuOut(msgspec.Struct, frozen=True, kw_only=True):
    cafe: CafeOut
    dishes: list[DishOut]
    combos: list[ComboOut]
    extras: list[ExtraOut]


class OrderedDishOut(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    dish_id: uuid.UUID
    name: str


class OrderedExtraOut(msgspec.Struct, frozen=True, kw_only=True):
    extra_id: uuid.UUID
    name: str
    qty: int
    price: int


class OrderOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    tg_id: int
    cafe_id: uuid.UUID
    cafe_name: str
    date: dt.date
    combo_id: uuid.UUID
    combo_name: str
    dishes: list[OrderedDishOut]
    extras: list[OrderedExtraOut]
    total: int
    currency: str
    note: str
    status: Literal["placed", "cancelled", "rejected"]
    placed_at: dt.datetime
    updated_at: dt.datetime
    editable_until: dt.datetime | None


class ExtraLineIn(Body, frozen=True):
    extra_id: uuid.UUID
    qty: Qty


class OrderIn(Body, frozen=True):
    cafe_id: uuid.UUID
    date: dt.date
    combo_id: uuid.UUID
    dishes: Annotated[dict[Category, uuid.UUID], msgspec.Meta(max_length=10)]
    extras: Annotated[list[ExtraLineIn], msgspec.Meta(max_length=20)] = msgspec.field(
        default_factory=list
    )
    note: Note = ""


class EmployeeOut(EmployeeView, frozen=True, kw_only=True):
    """A directory entry as the API answers it: the read side's shape under the contract's
    name (the write side's EmployeeState is converted into it too)."""
