"""The caller's month: spend against the monthly limit, orders and favourite dishes."""

from __future__ import annotations

import uuid

import msgspec
from litestar import get

from api.auth import CurrentUser
from api.context import Ctx
from api.openapi import errors

FAVOURITES = 5


class FavouriteOut(msgspec.Struct, frozen=True, kw_only=True):
    dish_id: uuid.UUID
    name: str
    count: int


class StatsOut(msgspec.Struct, frozen=True, kw_only=True):
    month: str
    monthly_limit: int | None
    spent_this_month: int
    orders_this_month: int
    remaining: int | None
    favourite_dishes: list[FavouriteOut]


@get("/me/stats", tags=["auth"], responses=errors(401, 429, 503))
async def my_stats(ctx: Ctx, user: CurrentUser) -> StatsOut:
    """This month (in the office's timezone) against the limit, and the dishes the caller
    orders most."""
    first, last = ctx.this_month()
    stats = await ctx.run(
        ctx.queries.employee_stats, user.tg_id, first, last, favourites=FAVOURITES
    )
    return StatsOut(
        month=first.strftime("%Y-%m"),
        monthly_limit=stats.monthly_limit,
        spent_this_month=stats.spent,
        orders_this_month=stats.orders,
        remaining=stats.remaining,
        favourite_dishes=msgspec.convert(
            stats.favourite_dishes, list[FavouriteOut], from_attributes=True
        ),
    )
