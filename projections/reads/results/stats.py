"""An employee's spending and favourite dishes."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class Spending(msgspec.Struct, frozen=True, kw_only=True):
    """Placed orders of one employee over a period, and what they cost."""

    orders: int
    total: int


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
