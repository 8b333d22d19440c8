"""Employee handlers: one employee's details, and a roster CSV applied in one write."""

from __future__ import annotations

import msgspec

from commands.decisions import Decision, applied, decided
from commands.messages import ImportEmployees, ImportResult, UpsertEmployee
from commands.session import Handler, Session
from domain import employee as employee_model
from domain.employee import EmployeeState
from domain.errors import NotFound
from domain.events import Event
from domain.ids import employee_id
from domain.roster import parse_roster


def upsert_employee(cmd: UpsertEmployee, session: Session) -> Decision[EmployeeState]:
    state = session.employee(cmd.tg_id)
    if state is None and cmd.must_exist:
        raise NotFound("no such employee", tg_id=cmd.tg_id)
    events = employee_model.upsert_employee(
        state,
        tg_id=cmd.tg_id,
        name=cmd.name,
        office=cmd.office,
        role=cmd.role,
        active=cmd.active,
        monthly_limit=(
            employee_model._UNSET if cmd.monthly_limit is msgspec.UNSET else cmd.monthly_limit
        ),
        now=session.now,
        actor=cmd.actor,
    )
    return decided(state, employee_id(cmd.tg_id), events, employee_model.evolve)


def import_employees(cmd: ImportEmployees, session: Session) -> Decision[ImportResult]:
    """Apply the CSV roster: good lines kept, each bad line reported with its reason."""
    rows, errors = parse_roster(cmd.text)
    states: dict[int, EmployeeState | None] = {}
    changes: dict[int, list[Event]] = {}
    added = updated = 0
    for row in rows:
        if row.tg_id not in states:
            states[row.tg_id] = session.employee(row.tg_id)
        state = states[row.tg_id]
        events = employee_model.upsert_employee(
            state,
            tg_id=row.tg_id,
            name=row.name,
            office=row.office,
            role=row.role,
            monthly_limit=(
                row.monthly_limit if row.monthly_limit is not None else employee_model._UNSET
            ),
            now=session.now,
            actor=cmd.actor,
        )
        if state is None:
            added += 1
        elif events:
            updated += 1
        states[row.tg_id] = applied(state, events, employee_model.evolve)
        changes.setdefault(row.tg_id, []).extend(events)
    result = ImportResult(
        added=added,
        updated=updated,
        errors=[{"line": e.line, "reason": e.reason} for e in errors],
    )
    return Decision(result, [(employee_id(tg_id), events) for tg_id, events in changes.items()])


HANDLERS: dict[type, Handler] = {UpsertEmployee: upsert_employee, ImportEmployees: import_employees}
