"""Cafes and their menus for a date, from the menus read model (any role)."""

from __future__ import annotations

import datetime as dt
import uuid

from litestar import Response, get
from litestar.enums import MediaType
from litestar.params import FromPath, FromQuery

from api import freshness
from api.auth import CurrentUser
from api.context import Ctx
from api.freshness import Read
from api.openapi import errors
from api.presenters import cafe_out, menu_out
from api.schemas import CafeOut, MenuOut, check_date
from domain.errors import NotFound


@get("/cafes", tags=["menu"], responses=errors(400, 401, 429, 503))
async def list_cafes(
    ctx: Ctx, user: CurrentUser, date: FromQuery[dt.date | None] = None
) -> list[CafeOut]:
    """Every cafe with its deadline on ``date`` (default: today in LUNCH_TIMEZONE)."""
    day = check_date(date or ctx.today())
    await freshness.catch_up(ctx, Read.MENUS, user.tg_id)
    cafes = await ctx.run(ctx.queries.cafes)
    closed = await ctx.run(ctx.queries.closed_on, day)
    now = ctx.now()
    return [cafe_out(c, day, now=now, closed=c.id in closed) for c in cafes]


@get("/cafes/{cafe_id:uuid}/menu", tags=["menu"], responses=errors(400, 401, 404, 429, 503))
async def cafe_menu(
    ctx: Ctx,
    user: CurrentUser,
    cafe_id: FromPath[uuid.UUID],
    date: FromQuery[dt.date | None] = None,
) -> Response[MenuOut]:
    """The cafe, its dishes, combos and extras, with its deadline on ``date``."""
    day = check_date(date or ctx.today())
    applied = await freshness.caught_up_to(ctx, Read.MENUS, user.tg_id) or {}
    now = ctx.now()
    body = await ctx.menus.body(
        ctx.reads,
        cafe_id,
        day,
        now,
        lambda cafe, closed: menu_out(cafe, day, now=now, closed=closed),
        applied.get(str(cafe_id), 0),
    )
    if body is None:
        raise NotFound("no such cafe", cafe_id=str(cafe_id))
    # Already JSON: Litestar sends bytes as they are; the annotation keeps the schema.
    return Response(body, media_type=MediaType.JSON)  # type: ignore[arg-type]
