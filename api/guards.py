"""Who the caller is now, checked against the directory on every request, and role guards.

A token carries the role it was issued with; an employee deactivated or a manager demoted
since then must lose access at once, not when the token expires, so every request looks the
caller up again instead of trusting the token's claims: in the worker's copy of the
directory, which follows the read model within a tenth of a second (api.directory_cache).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from api.auth import PUBLIC, current_user
from api.context import Context
from api.identity import resolve_user
from domain.errors import Forbidden

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


async def in_directory(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Router guard after ``authenticate``: the caller as the directory knows them now.

    Every request, every role: a deactivated employee's token stops working within a tenth
    of a second of the directory read model applying it, and the role a handler sees is the
    directory's, whatever the token still claims.
    """
    if handler.opt.get(PUBLIC):
        return
    ctx: Context = connection.app.state.ctx
    token_user = current_user(connection)
    connection.scope["user"] = await resolve_user(
        ctx, token_user.tg_id, fallback_name=token_user.name, cached=True
    )


def allow(*roles: str) -> Guard:
    """Handler guard: only callers who hold one of ``roles`` now (see ``in_directory``) pass."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = current_user(connection)
        if user.role not in roles:
            raise Forbidden(f"this needs the role {' or '.join(roles)}", role=user.role)

    return guard


managers_only = allow("manager")
managers_and_auditors = allow("manager", "auditor")


def in_order(*guards: Guard) -> Guard:
    """One guard that runs ``guards`` one after another: Litestar copies the route handler
    for every guard it calls, so the router's three cost one copy instead of three."""

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
    ) -> None:
        for each in guards:
            await each(connection, handler)

    return guard
