"""A cafe's dispatch log (manager): each attempt to send it a day's orders, and its answer."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import msgspec
from litestar import get
from litestar.params import FromPath, FromQuery

from api.context import Ctx
from api.guards import managers_only
from api.openapi import errors
from domain.errors import NotFound


class DispatchOut(msgspec.Struct, frozen=True, kw_only=True):
    date: dt.date
    status: Literal["sent", "failed", "acknowledged", "logged"]
    sent_at: dt.datetime
    acknowledged_at: dt.datetime | None
    text: str
    error: str | None


@get(
    "/cafes/{cafe_id:uuid}/dispatches",
    guards=[managers_only],
    tags=["manager"],
    responses=errors(400, 401, 403, 404, 429, 503),
)
async def cafe_dispatches(
    ctx: Ctx, cafe_id: FromPath[uuid.UUID], date: FromQuery[dt.date | None] = None
) -> list[DispatchOut]:
    """Dispatches of one date (or all dates), newest first; ``logged`` means rendered and
    recorded without sending, as when no bot token is configured."""
    if await ctx.run(ctx.queries.cafe, cafe_id) is None:
        raise NotFound("no such cafe", cafe_id=str(cafe_id))
    found = await ctx.run(ctx.queries.dispatches, cafe_id, date)
    return msgspec.convert(found, list[DispatchOut], from_attributes=True)
