"""Cafe commands: profile, menu, combos, schedule, closing a cafe-day; the menu's inputs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec

from commands.messages.base import Command
from domain.cafe import CafeState
from domain.dish_tags import MAX_TAGS, DishTag
from domain.text import LINE_PATTERN, TEXT_PATTERN

Money = Annotated[int, msgspec.Meta(ge=0, le=10_000_000_00)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=LINE_PATTERN)]


class DishInput(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    category: Name
    price: Money
    id: uuid.UUID | None = None
    available: bool = True
    description: Annotated[str, msgspec.Meta(max_length=1000, pattern=TEXT_PATTERN)] = ""
    tags: Annotated[list[DishTag], msgspec.Meta(max_length=MAX_TAGS)] = msgspec.field(
        default_factory=list
    )


class ExtraInput(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    price: Money
    id: uuid.UUID | None = None
    available: bool = True


class ComboInput(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    price: Money
    categories: Annotated[list[Name], msgspec.Meta(min_length=1, max_length=10)]
    id: uuid.UUID | None = None


# --- cafes -----------------------------------------------------------------------------


class RegisterCafe(Command[CafeState], frozen=True, kw_only=True):
    name: str
    timezone: str
    currency: str


class UpdateCafe(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    name: str | None = None
    active: bool | None = None


class SetMenu(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    dishes: tuple[DishInput, ...]
    extras: tuple[ExtraInput, ...]


class SetAvailability(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    item_id: uuid.UUID
    available: bool


class SetCombos(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    combos: tuple[ComboInput, ...]


class SetSchedule(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    weekdays: tuple[int, ...]
    cutoff: str
    timezone: str | None = None
    holidays: tuple[dt.date, ...] = ()


class CloseOrdering(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date
    early: bool = True
