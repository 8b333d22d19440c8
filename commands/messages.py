"""What callers may ask of the write side: the inputs of the application service."""

from __future__ import annotations

import uuid
from typing import Annotated, Generic, TypeVar

import msgspec

from domain.order import ExtraLine, OrderRequest
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


class ImportResult(msgspec.Struct, frozen=True, kw_only=True):
    added: int
    updated: int
    errors: list[dict[str, int | str]]


T = TypeVar("T")


class Outcome(msgspec.Struct, Generic[T], frozen=True):
    """A command's result and the notification id of its last event (0: nothing changed)."""

    value: T
    notification_id: int


__all__ = [
    "ComboInput",
    "DishInput",
    "ExtraInput",
    "ExtraLine",
    "ImportResult",
    "OrderRequest",
    "Outcome",
]
