"""Who may log in, and with which role: the employee directory plus ``LUNCH_MANAGERS``."""

from __future__ import annotations

from api.auth import User
from api.context import Context
from domain.employee import EmployeeState
from domain.errors import Forbidden
from projections.reads.results import EmployeeView


async def _from_directory(
    ctx: Context, tg_id: int, *, cached: bool
) -> EmployeeView | EmployeeState | None:
    """The directory read model (as this worker keeps it, if ``cached``), or the write side
    when the read model has not caught up."""
    if cached:
        found = await ctx.directory.employee(ctx.reads, tg_id)
    else:
        found = await ctx.reads.employee(tg_id)
    if found is not None:
        return found
    return await ctx.run(ctx.service.employee, tg_id)


async def resolve_user(
    ctx: Context, tg_id: int, *, fallback_name: str = "", cached: bool = False
) -> User:
    """The user's identity for a token; Forbidden when unknown or deactivated. A login
    reads the directory; a request with a token may use the worker's copy
    (``api.directory_cache``, at most ``RECHECK_SECONDS`` behind the read model)."""
    entry = await _from_directory(ctx, tg_id, cached=cached)
    is_manager = tg_id in ctx.settings.auth.managers
    if entry is None:
        if not is_manager:
            raise Forbidden("you are not in the office's employee directory", tg_id=tg_id)
        return User(
            tg_id=tg_id, name=fallback_name or f"Manager {tg_id}", office="", role="manager"
        )
    if not entry.active:
        raise Forbidden("your account is deactivated", tg_id=tg_id)
    role = "manager" if is_manager else entry.role
    return User(tg_id=tg_id, name=entry.name, office=entry.office, role=role)
