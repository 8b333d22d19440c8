"""Employee directory: who may log in, with which role, office and monthly limit."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor, sql

from domain import events as e
from projections.engine.base import Projection, tags

DDL = (
    """CREATE TABLE IF NOT EXISTS read.employees (
        tg_id bigint PRIMARY KEY,
        name text NOT NULL,
        office text NOT NULL,
        role text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        monthly_limit bigint,
        registered_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
)


def _update(cur: Cursor[Any], event: e.Event, tg_id: int, assignments: str, *args: Any) -> None:
    query = sql.SQL("UPDATE read.employees SET {}, updated_at = %s WHERE tg_id = %s")
    cur.execute(query.format(sql.SQL(assignments)), [*args, event.at, tg_id])


def apply(cur: Cursor[Any], recorded: e.Recorded) -> None:
    event = recorded.event
    match event:
        case e.EmployeeRegistered():
            cur.execute(
                """INSERT INTO read.employees (tg_id, name, office, role, active, monthly_limit,
                                               registered_at, updated_at)
                   VALUES (%s, %s, %s, %s, true, %s, %s, %s)
                   ON CONFLICT (tg_id) DO UPDATE SET name = EXCLUDED.name,
                       office = EXCLUDED.office, role = EXCLUDED.role, active = true,
                       monthly_limit = EXCLUDED.monthly_limit, updated_at = EXCLUDED.updated_at""",
                [
                    event.tg_id,
                    event.name,
                    event.office,
                    event.role,
                    event.monthly_limit,
                    event.at,
                    event.at,
                ],
            )
        case e.EmployeeUpdated():
            _update(
                cur,
                event,
                event.tg_id,
                "name = %s, office = %s, role = %s",
                event.name,
                event.office,
                event.role,
            )
        case e.EmployeeActivated() | e.EmployeeDeactivated():
            active = isinstance(event, e.EmployeeActivated)
            _update(cur, event, event.tg_id, "active = %s", active)
        case e.MonthlyLimitSet():
            _update(cur, event, event.tg_id, "monthly_limit = %s", event.monthly_limit)
        case _:
            pass


projection = Projection(
    name="employees",
    handles=tags(
        e.EmployeeRegistered,
        e.EmployeeUpdated,
        e.EmployeeActivated,
        e.EmployeeDeactivated,
        e.MonthlyLimitSet,
    ),
    tables=("read.employees",),
    ddl=DDL,
    apply=apply,
)
