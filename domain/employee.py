"""The Employee aggregate: the office roster (Telegram id, name, office, role, limit)."""

from __future__ import annotations

import datetime as dt

import msgspec

from domain import events as ev
from domain.errors import InvalidRequest
from domain.text import clean

ROLES = ("employee", "manager", "auditor")
MAX_TEXT = 120
MAX_LIMIT = 10**12
MAX_TG_ID = 2**53


class EmployeeState(msgspec.Struct, kw_only=True):
    tg_id: int
    name: str
    office: str
    role: str
    active: bool = True
    monthly_limit: int | None = None


def evolve(state: EmployeeState | None, event: ev.Event) -> EmployeeState:
    if isinstance(event, ev.EmployeeRegistered):
        return EmployeeState(
            tg_id=event.tg_id,
            name=event.name,
            office=event.office,
            role=event.role,
            monthly_limit=event.monthly_limit,
        )
    assert state is not None, f"{type(event).__name__} before Employee.Registered"
    if isinstance(event, ev.EmployeeUpdated):
        state.name, state.office, state.role = event.name, event.office, event.role
    elif isinstance(event, ev.EmployeeDeactivated):
        state.active = False
    elif isinstance(event, ev.EmployeeActivated):
        state.active = True
    elif isinstance(event, ev.MonthlyLimitSet):
        state.monthly_limit = event.monthly_limit
    return state


def check_tg_id(tg_id: int) -> int:
    if not 0 < tg_id < MAX_TG_ID:
        raise InvalidRequest("tg_id is a positive Telegram user id", field="tg_id")
    return tg_id


def _text(value: str, field: str) -> str:
    return clean(value, field, max_length=MAX_TEXT)


def _role(role: str) -> str:
    if role not in ROLES:
        raise InvalidRequest(f"role is one of {', '.join(ROLES)}", field="role")
    return role


def _limit(limit: int | None) -> int | None:
    if limit is not None and not 0 <= limit <= MAX_LIMIT:
        raise InvalidRequest("monthly_limit is a non-negative amount", field="monthly_limit")
    return limit


_UNSET: object = object()


def upsert_employee(  # noqa: PLR0913
    state: EmployeeState | None,
    *,
    tg_id: int,
    name: str | None,
    office: str | None,
    role: str | None,
    active: bool | None = None,
    monthly_limit: int | object | None = _UNSET,
    now: dt.datetime,
    actor: str,
) -> list[ev.Event]:
    """Register a new employee, or change what differs for a known one."""
    check_tg_id(tg_id)
    if state is None:
        if name is None or office is None:
            raise InvalidRequest("a new employee needs a name and an office", field="name")
        limit = None if monthly_limit is _UNSET else monthly_limit
        assert limit is None or isinstance(limit, int)
        out: list[ev.Event] = [
            ev.EmployeeRegistered(
                tg_id=tg_id,
                name=_text(name, "name"),
                office=_text(office, "office"),
                role=_role(role or "employee"),
                monthly_limit=_limit(limit),
                at=now,
                actor=actor,
            )
        ]
        if active is False:
            out.append(ev.EmployeeDeactivated(tg_id=tg_id, at=now, actor=actor))
        return out
    out = []
    new_name = _text(name, "name") if name is not None else state.name
    new_office = _text(office, "office") if office is not None else state.office
    new_role = _role(role) if role is not None else state.role
    if (new_name, new_office, new_role) != (state.name, state.office, state.role):
        out.append(
            ev.EmployeeUpdated(
                tg_id=tg_id, name=new_name, office=new_office, role=new_role, at=now, actor=actor
            )
        )
    if monthly_limit is not _UNSET and monthly_limit != state.monthly_limit:
        assert monthly_limit is None or isinstance(monthly_limit, int)
        out.append(
            ev.MonthlyLimitSet(
                tg_id=tg_id, monthly_limit=_limit(monthly_limit), at=now, actor=actor
            )
        )
    if active is True and not state.active:
        out.append(ev.EmployeeActivated(tg_id=tg_id, at=now, actor=actor))
    if active is False and state.active:
        out.append(ev.EmployeeDeactivated(tg_id=tg_id, at=now, actor=actor))
    return out
