"""Logging in (Telegram initData, or the development login) and who am I."""

from __future__ import annotations

import logging
from typing import Annotated

import msgspec
from litestar import get, post
from litestar.params import JSONBody

from api import freshness
from api.auth import PUBLIC, CurrentUser
from api.context import Ctx
from api.errors import Unauthenticated
from api.freshness import Read
from api.identity import resolve_user
from api.initdata import MAX_INIT_DATA, verify_init_data
from api.openapi import errors
from api.schemas import Body, TgId

log = logging.getLogger("lunch.api")
# One answer for every refused initData: which check failed (signature, age, shape) is
# logged for operators and never told to the caller.
LOGIN_REFUSED = "Telegram login failed; reopen the Mini App"


class TelegramLogin(Body, frozen=True):
    init_data: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_INIT_DATA)]


class DevLogin(Body, frozen=True):
    tg_id: TgId


class UserOut(msgspec.Struct, frozen=True, kw_only=True):
    tg_id: int
    name: str
    office: str
    role: str


class LoginOut(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    user: UserOut


class AuthConfig(msgspec.Struct, frozen=True, kw_only=True):
    dev_login: bool


class MeOut(msgspec.Struct, frozen=True, kw_only=True):
    tg_id: int
    name: str
    office: str
    role: str
    monthly_limit: int | None
    spent_this_month: int
    orders_this_month: int


def _login(ctx: Ctx, user: CurrentUser) -> LoginOut:
    return LoginOut(
        token=ctx.tokens.issue(user),
        user=UserOut(tg_id=user.tg_id, name=user.name, office=user.office, role=user.role),
    )


@post(
    "/auth/telegram",
    opt={PUBLIC: True},
    status_code=200,
    tags=["auth"],
    responses=errors(400, 401, 403, 413, 429, 503),
)
async def telegram_login(data: JSONBody[TelegramLogin], ctx: Ctx) -> LoginOut:
    """Exchange the Mini App's signed initData for a bearer token."""
    try:
        signed = verify_init_data(
            data.init_data,
            ctx.settings.telegram.bot_token,
            now=ctx.now(),
            max_age=ctx.init_data_max_age,
        )
    except Unauthenticated as e:
        log.info("telegram login refused", extra={"reason": e.message})
        raise Unauthenticated(LOGIN_REFUSED) from e
    user = await resolve_user(ctx, signed.user.id, fallback_name=signed.user.name)
    return _login(ctx, user)


@post(
    "/auth/dev",
    opt={PUBLIC: True},
    status_code=200,
    tags=["auth"],
    responses=errors(400, 403, 413, 429, 503),
)
async def dev_login(data: JSONBody[DevLogin], ctx: Ctx) -> LoginOut:
    """Log in as anyone in the directory, without Telegram (LUNCH_DEV_LOGIN=1 only)."""
    return _login(ctx, await resolve_user(ctx, data.tg_id))


@get("/auth/config", opt={PUBLIC: True}, tags=["auth"], responses=errors(429))
async def auth_config(ctx: Ctx) -> AuthConfig:
    return AuthConfig(dev_login=ctx.settings.auth.dev_login)


@get("/me", tags=["auth"], responses=errors(401, 429, 503))
async def me(ctx: Ctx, user: CurrentUser) -> MeOut:
    """The caller, their monthly limit and this month's placed orders."""
    await freshness.catch_up(ctx, Read.ORDERS, user.tg_id)
    entry = await ctx.reads.employee(user.tg_id)
    first, last = ctx.this_month()
    spent = await ctx.run(ctx.queries.employee_stats, user.tg_id, first, last, favourites=0)
    return MeOut(
        tg_id=user.tg_id,
        name=entry.name if entry else user.name,
        office=entry.office if entry else user.office,
        role=user.role,
        monthly_limit=entry.monthly_limit if entry else None,
        spent_this_month=spent.spent,
        orders_this_month=spent.orders,
    )
