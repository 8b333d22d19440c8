"""The base of every event, and the value objects events carry."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

import msgspec

SYSTEM = "system"


class Event(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    """Base of every domain event."""

    class_version: ClassVar[int] = 1
    at: dt.datetime
    actor: str


# --- value objects carried by events --------------------------------------------------


class Dish(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    category: str
    price: int
    available: bool = True
    description: str = ""
    # Added after the first menus were stored: the default decodes them as untagged.
    tags: tuple[str, ...] = ()


class Extra(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    price: int
    available: bool = True


class Combo(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    price: int
    categories: tuple[str, ...]


class OrderedDish(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    dish_id: uuid.UUID
    name: str


class OrderedExtra(msgspec.Struct, frozen=True, kw_only=True):
    extra_id: uuid.UUID
    name: str
    qty: int
    price: int
