"""A cafe's dispatch log (manager): each attempt to send it a day's orders, and its answer."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Literal

import msgspec
from litestar import Response, get, post
from litestar.params import FromPath, FromQuery

from api.auth import CurrentUser
from api.context import Ctx
from api.guards import managers_only
from api.openapi import WRITE, errors
from commands.messages import RequestResend
from domain.errors import NotFound

RESEND_WAIT_SECONDS = 10.0


class DispatchOut(msgspec.Struct, frozen=True, kw_only=True):
    date: dt.date
    status: Literal["sent", "failed", "acknowledged", "logged", "in_doubt"]
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
    if await ctx.reads.cafe(cafe_id) is None:
        raise NotFound("no such cafe", cafe_id=str(cafe_id))
    found = await ctx.run(ctx.queries.dispatches, cafe_id, date)
    return msgspec.convert(found, list[DispatchOut], from_attributes=True)


@post(
    "/cafes/{cafe_id:uuid}/dispatches/{date:date}/resend",
    guards=[managers_only],
    tags=["manager"],
    status_code=200,
    responses=errors(*WRITE),
)
async def resend_dispatch(
    ctx: Ctx, user: CurrentUser, cafe_id: FromPath[uuid.UUID], date: FromPath[dt.date]
) -> Response[DispatchOut | None]:
    """Send the day's dispatch again, marked as a repeat in the chat (a closed day only).
    200 with the new dispatch once the notifier recorded it; 202 with the latest known
    one (or null) while it is still on its way."""
    if await ctx.reads.cafe(cafe_id) is None:
        raise NotFound("no such cafe", cafe_id=str(cafe_id))
    requested_at = ctx.now()
    resend = RequestResend(cafe_id=cafe_id, date=date, actor=str(user.tg_id))
    await ctx.run(ctx.service.execute, resend)
    deadline = asyncio.get_running_loop().time() + RESEND_WAIT_SECONDS
    latest = None
    while asyncio.get_running_loop().time() < deadline:
        found = await ctx.run(ctx.queries.dispatches, cafe_id, date)
        latest = found[0] if found else None
        if latest is not None and latest.sent_at >= requested_at and latest.status != "in_doubt":
            return Response(msgspec.convert(latest, DispatchOut, from_attributes=True))
        await asyncio.sleep(0.1)
    body = msgspec.convert(latest, DispatchOut, from_attributes=True) if latest else None
    return Response(body, status_code=202)
