"""Cafe chats asking to be linked (manager): list them, approve one for a cafe, or reject it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec
from litestar import Router, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from api import freshness
from api.auth import CurrentUser
from api.context import Context, Ctx
from api.errors import ApiError
from api.freshness import Read
from api.guards import managers_only
from api.openapi import WRITE, errors
from api.schemas import Body
from commands.messages import Outcome
from domain.link import LinkState
from domain.text import TEXT_PATTERN
from projections.reads.results import LinkRequestView

Status = Literal["pending", "approved", "rejected"]


class CafeRequestOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    chat_id: int
    chat_title: str
    requested_by: int
    requested_at: dt.datetime
    status: Status
    cafe_id: uuid.UUID | None
    reason: str | None
    decided_at: dt.datetime | None


class ApproveIn(Body, frozen=True):
    cafe_id: uuid.UUID


class RejectIn(Body, frozen=True):
    reason: Annotated[str, msgspec.Meta(max_length=500, pattern=TEXT_PATTERN)] = ""


def _out(view: LinkRequestView) -> CafeRequestOut:
    return msgspec.convert(view, CafeRequestOut, from_attributes=True)


@get("/cafe-requests", responses=errors(400, 401, 403, 429, 503))
async def list_requests(
    ctx: Ctx, user: CurrentUser, status: FromQuery[Status | None] = None
) -> list[CafeRequestOut]:
    """Link requests, newest first: all, or those of one status."""
    await freshness.catch_up(ctx, Read.LINK_REQUESTS, user.tg_id)
    return [_out(v) for v in await ctx.run(ctx.queries.link_requests, status)]


class Lagging(ApiError):
    code = "unavailable"


async def _decided(
    ctx: Context,
    tg_id: int,
    before: LinkRequestView | None,
    outcome: Outcome[LinkState],
    reason: str | None = None,
) -> CafeRequestOut:
    """The request after the decision: from the read model once it applied the decision,
    else the row read before with the decision laid over it."""
    state = outcome.value
    keys = await freshness.wrote(ctx, Read.LINK_REQUESTS, tg_id, outcome)
    if await freshness.applied(ctx, Read.LINK_REQUESTS, keys):
        after = await ctx.run(ctx.queries.link_request, state.id)
        if after is not None:
            return _out(after)
    if before is None:
        raise Lagging(
            "the decision is recorded; the list of requests has not caught up yet",
            request_id=str(state.id),
            status=state.status,
        )
    return msgspec.structs.replace(
        _out(before),
        status=state.status,
        cafe_id=state.cafe_id,
        reason=reason,
        decided_at=ctx.now(),
    )


@post("/cafe-requests/{request_id:uuid}/approve", status_code=200, responses=errors(*WRITE))
async def approve_request(
    ctx: Ctx, user: CurrentUser, request_id: FromPath[uuid.UUID], data: JSONBody[ApproveIn]
) -> CafeRequestOut:
    """Link the requesting chat to the cafe (a pending request only); the bot then sends
    the chat a test message."""
    before = await ctx.run(ctx.queries.link_request, request_id)
    outcome = await ctx.run(
        ctx.service.approve_link, request_id, data.cafe_id, actor=str(user.tg_id)
    )
    return await _decided(ctx, user.tg_id, before, outcome)


@post("/cafe-requests/{request_id:uuid}/reject", status_code=200, responses=errors(*WRITE))
async def reject_request(
    ctx: Ctx, user: CurrentUser, request_id: FromPath[uuid.UUID], data: JSONBody[RejectIn]
) -> CafeRequestOut:
    """Refuse a pending request, with a reason for the record."""
    before = await ctx.run(ctx.queries.link_request, request_id)
    outcome = await ctx.run(ctx.service.reject_link, request_id, data.reason, actor=str(user.tg_id))
    return await _decided(ctx, user.tg_id, before, outcome, data.reason)


router = Router(
    "/",
    guards=[managers_only],
    tags=["manager"],
    route_handlers=[list_requests, approve_request, reject_request],
)
