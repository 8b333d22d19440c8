"""The employee directory (manager): CSV import, listing, changing one employee."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Router, get, patch, post
from litestar.params import FromPath, JSONBody, RawBody

from api import freshness
from api.auth import CurrentUser
from api.context import Ctx
from api.freshness import Read
from api.guards import managers_only
from api.openapi import WRITE, errors
from api.schemas import Body, EmployeeOut, TgId
from domain.employee import ROLES
from domain.errors import InvalidRequest
from domain.text import LINE_PATTERN

Role = Annotated[str, msgspec.Meta(pattern=f"^({'|'.join(ROLES)})$")]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=LINE_PATTERN)]
Limit = Annotated[int, msgspec.Meta(ge=0, le=10**12)]


class ImportProblem(msgspec.Struct, frozen=True, kw_only=True):
    line: int
    reason: str


class ImportOut(msgspec.Struct, frozen=True, kw_only=True):
    added: int
    updated: int
    errors: list[ImportProblem]


class EmployeeChange(Body, frozen=True):
    name: Text | None = None
    role: Role | None = None
    office: Text | None = None
    active: bool | None = None
    # Absent: unchanged; null: no limit.
    monthly_limit: Limit | msgspec.UnsetType | None = msgspec.UNSET


def _csv_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidRequest("the CSV must be UTF-8", field="body", position=e.start) from e


@post(
    "/employees/import",
    status_code=200,
    responses=errors(400, 401, 403, 409, 413, 429, 503),
)
async def import_employees(ctx: Ctx, user: CurrentUser, body: RawBody) -> ImportOut:
    """Add or update employees from a ``text/csv`` body (UTF-8, BOM allowed) with the header
    ``tg_id,name,office[,role][,monthly_limit]``; bad lines are reported, good lines kept."""
    text = _csv_text(body)
    if not text:
        raise InvalidRequest("the CSV is empty; it needs at least its header line", field="body")
    outcome = await ctx.run(ctx.service.import_employees, text, actor=str(user.tg_id))
    await freshness.wrote(ctx, Read.EMPLOYEES, user.tg_id, outcome)
    result = outcome.value
    return ImportOut(
        added=result.added,
        updated=result.updated,
        errors=msgspec.convert(result.errors, list[ImportProblem]),
    )


@get("/employees", responses=errors(401, 403, 429, 503))
async def list_employees(ctx: Ctx, user: CurrentUser) -> list[EmployeeOut]:
    await freshness.catch_up(ctx, Read.EMPLOYEES, user.tg_id)
    found = await ctx.run(ctx.queries.employees)
    return msgspec.convert(found, list[EmployeeOut], from_attributes=True)


@patch("/employees/{tg_id:int}", responses=errors(*WRITE))
async def change_employee(
    ctx: Ctx, user: CurrentUser, tg_id: FromPath[TgId], data: JSONBody[EmployeeChange]
) -> EmployeeOut:
    """Change an employee's role, office, name, activity or monthly limit."""
    limit: Any = data.monthly_limit
    extra = {} if limit is msgspec.UNSET else {"monthly_limit": limit}
    outcome = await ctx.run(
        ctx.service.upsert_employee,
        tg_id,
        name=data.name,
        office=data.office,
        role=data.role,
        active=data.active,
        actor=str(user.tg_id),
        must_exist=True,
        **extra,
    )
    await freshness.wrote(ctx, Read.EMPLOYEES, user.tg_id, outcome)
    return msgspec.convert(outcome.value, EmployeeOut, from_attributes=True)


router = Router(
    "/",
    guards=[managers_only],
    tags=["manager"],
    route_handlers=[import_employees, list_employees, change_employee],
)
