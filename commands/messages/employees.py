"""Employee commands: one upsert, and a roster import."""

from __future__ import annotations

import msgspec

from commands.messages.base import Command
from domain.employee import EmployeeState


class ImportResult(msgspec.Struct, frozen=True, kw_only=True):
    added: int
    updated: int
    errors: list[dict[str, int | str]]


class UpsertEmployee(Command[EmployeeState], frozen=True, kw_only=True):
    """Register an employee or change what is given (``monthly_limit`` None: no limit)."""

    tg_id: int
    name: str | None = None
    office: str | None = None
    role: str | None = None
    active: bool | None = None
    monthly_limit: int | msgspec.UnsetType | None = msgspec.UNSET
    must_exist: bool = False


class ImportEmployees(Command[ImportResult], frozen=True, kw_only=True):
    """A roster CSV: good lines applied together, each bad line reported."""

    text: str
