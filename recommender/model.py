"""What the recommender reads and what it produces, as plain msgspec Structs."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

Source = Literal["gemini", "fallback"]


class MenuDish(msgspec.Struct, frozen=True, kw_only=True):
    """An available dish at a cafe serving the day, with the cheapest combo that holds it."""

    cafe_id: str
    cafe_name: str
    dish_id: str
    name: str
    category: str
    combo_price: int


class PastDish(msgspec.Struct, frozen=True, kw_only=True):
    """A dish the employee had in a placed order."""

    date: dt.date
    cafe_id: str
    dish_id: str


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    """What ranking may know of an employee: no name, no Telegram id goes past this."""

    tg_id: int
    language: str
    remaining: int | None  # of the monthly limit; None = no limit
    history: tuple[PastDish, ...] = ()


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    """A dish the employee could order on the day, with the facts ranking uses."""

    dish: MenuDish
    times_ordered: int
    days_since_last: int | None
    score: float


class Item(msgspec.Struct, frozen=True, kw_only=True):
    cafe_id: str
    dish_id: str
    name: str
    reason: str


class Recommendations(msgspec.Struct, frozen=True, kw_only=True):
    """The body of ``GET /api/me/recommendations`` and what the cache holds."""

    generated_at: dt.datetime
    source: Source
    items: list[Item]
