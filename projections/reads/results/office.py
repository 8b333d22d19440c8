"""One cafe, order, employee, link request or dispatch, as the read functions return it."""

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


class CafeSchedule(msgspec.Struct, frozen=True, kw_only=True):
    """When a cafe takes orders: a ``CafeView`` without its name, chat and menu."""

    id: uuid.UUID
    timezone: str
    active: bool
    weekdays: tuple[int, ...]
    cutoff: str | None
    holidays: tuple[dt.date, ...]


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


DispatchStatus = Literal["sent", "failed", "acknowledged", "logged", "in_doubt"]


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
