"""The caller's lunch suggestions: the nightly cache, or the deterministic ranking right now.

Gemini is never called here (see recommender.facade): a request costs one Redis read, or a
few read-model queries when there is nothing cached or Redis is down.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import msgspec
from litestar import Request, get

from api.auth import CurrentUser
from api.context import Ctx
from api.guards import allow
from api.openapi import errors
from recommender.facade import recommendations_for


class SuggestionOut(msgspec.Struct, frozen=True, kw_only=True):
    cafe_id: str
    dish_id: str
    name: str
    reason: str


class RecommendationsOut(msgspec.Struct, frozen=True, kw_only=True):
    generated_at: dt.datetime
    source: Literal["gemini", "fallback"]
    items: list[SuggestionOut]


@get(
    "/me/recommendations",
    tags=["recommendations"],
    guards=[allow("employee")],
    responses=errors(401, 403, 429, 503),
)
async def my_recommendations(
    ctx: Ctx, user: CurrentUser, request: Request[Any, Any, Any]
) -> RecommendationsOut:
    """Dishes suggested for the next ordering day, with reasons in the caller's language;
    `source` says whether Gemini ranked them (nightly) or the deterministic fallback did."""
    found = await recommendations_for(
        ctx.redis,
        ctx.queries.pool,
        user.tg_id,
        now=ctx.now(),
        timezone=ctx.settings.clock.timezone,
        accept_language=request.headers.get("accept-language"),
    )
    return msgspec.convert(found, RecommendationsOut, from_attributes=True)
