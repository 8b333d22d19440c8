"""Building response bodies from the write side's state or from the read models."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol

import msgspec

from api.schemas import (
    CafeOut,
    ComboOut,
    DishOut,
    ExtraOut,
    MenuOut,
    OrderedDishOut,
    OrderedExtraOut,
    OrderOut,
)
from domain import events as ev
from domain.order import OrderState
from domain.schedule import cutoff_at, zone


class CafeLike(Protocol):
    """What both the Cafe aggregate's state and the menus read model tell about a cafe."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def name(self) -> str: ...
    @property
    def timezone(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def active(self) -> bool: ...
    @property
    def chat_id(self) -> int | None: ...
    @property
    def weekdays(self) -> tuple[int, ...]: ...
    @property
    def cutoff(self) -> str | None: ...
    @property
    def holidays(self) -> tuple[dt.date, ...]: ...


class MenuLike(CafeLike, Protocol):
    @property
    def dishes(self) -> tuple[msgspec.Struct, ...]: ...
    @property
    def extras(self) -> tuple[msgspec.Struct, ...]: ...
    @property
    def combos(self) -> tuple[msgspec.Struct, ...]: ...


def cafe_out(cafe: CafeLike, date: dt.date, *, now: dt.datetime, closed: bool) -> CafeOut:
    """The cafe as the contract shows it for ``date``: its cutoff then and whether it is open."""
    deadline = cutoff_at(
        date,
        weekdays=cafe.weekdays,
        cutoff=cafe.cutoff,
        timezone=cafe.timezone,
        holidays=cafe.holidays,
    )
    is_open = cafe.active and deadline is not None and now < deadline and not closed
    return CafeOut(
        id=cafe.id,
        name=cafe.name,
        timezone=cafe.timezone,
        currency=cafe.currency,
        active=cafe.active,
        linked=cafe.chat_id is not None,
        deadline=deadline.astimezone(zone(cafe.timezone)) if deadline else None,
        ordering_open=is_open,
        date=date,
        weekdays=list(cafe.weekdays),
        cutoff=cafe.cutoff,
    )


def menu_out(cafe: MenuLike, date: dt.date, *, now: dt.datetime, closed: bool) -> MenuOut:
    return MenuOut(
        cafe=cafe_out(cafe, date, now=now, closed=closed),
        dishes=msgspec.convert(cafe.dishes, list[DishOut], from_attributes=True),
        combos=msgspec.convert(cafe.combos, list[ComboOut], from_attributes=True),
        extras=msgspec.convert(cafe.extras, list[ExtraOut], from_attributes=True),
    )


def order_out(state: OrderState) -> OrderOut:
    """An order from the write side's state (what a command just decided)."""
    content: ev.OrderPlaced | ev.OrderChanged = state.content
    return OrderOut(
        id=state.id,
        tg_id=state.tg_id,
        cafe_id=state.cafe_id,
        cafe_name=content.cafe_name,
        date=state.date,
        combo_id=content.combo_id,
        combo_name=content.combo_name,
        dishes=msgspec.convert(content.dishes, list[OrderedDishOut], from_attributes=True),
        extras=msgspec.convert(content.extras, list[OrderedExtraOut], from_attributes=True),
        total=state.total,
        currency=content.currency,
        note=content.note,
        status=state.status,  # type: ignore[arg-type]
        placed_at=state.placed_at,
        updated_at=state.updated_at,
        editable_until=content.editable_until,
    )


def orders_out(views: Sequence[msgspec.Struct]) -> list[OrderOut]:
    """Orders from the read model (same field names as the contract)."""
    return msgspec.convert(views, list[OrderOut], from_attributes=True)
