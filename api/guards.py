"""Role guards for privileged routes, checked against the directory on every request.

A token carries the role it was issued with; a manager demoted or deactivated since then
must lose manager routes at once, not when the token expires, so these guards look the
caller up again (one indexed read) instead of trusting the token's role.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from api.auth import current_user
from api.context import Context
from api.identity import resolve_user
from domain.errors import Forbidden

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def allow(*roles: str) -> Guard:
    """Handler guard: only callers who hold one of ``roles`` now pass."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        ctx: Context = connection.app.state.ctx
        token_user = current_user(connection)
        if token_user.role not in roles:
            raise Forbidden(f"this needs the role {' or '.join(roles)}", role=token_user.role)
        user = await resolve_user(ctx, token_user.tg_id, fallback_name=token_user.name)
        if user.role not in roles:
            raise Forbidden(f"this needs the role {' or '.join(roles)}", role=user.role)
        connection.scope["user"] = user

    return guard


managers_only = allow("manager")
managers_and_auditors = allow("manager", "auditor")
