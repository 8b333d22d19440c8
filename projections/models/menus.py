"""Menus: each cafe's profile, schedule, dishes, extras, combos and closed days."""

from __future__ import annotations

from typing import Any

import msgspec
from psycopg import Cursor, sql
from psycopg.types.json import Jsonb

from domain import events as e
from projections.engine.base import Projection, tags

DDL = (
    """CREATE TABLE IF NOT EXISTS read.menus (
        cafe_id uuid PRIMARY KEY,
        name text NOT NULL,
        timezone text NOT NULL,
        currency text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        chat_id bigint,
        weekdays integer[] NOT NULL DEFAULT '{}',
        cutoff text,
        holidays date[] NOT NULL DEFAULT '{}',
        dishes jsonb NOT NULL DEFAULT '[]',
        extras jsonb NOT NULL DEFAULT '[]',
        combos jsonb NOT NULL DEFAULT '[]',
        registered_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS read.menu_closures (
        cafe_id uuid NOT NULL,
        date date NOT NULL,
        early boolean NOT NULL,
        closed_at timestamptz NOT NULL,
        PRIMARY KEY (cafe_id, date))""",
)


def _json(value: Any) -> Jsonb:
    return Jsonb(msgspec.to_builtins(value))


def _update(cur: Cursor[Any], event: e.Event, cafe_id: Any, assignments: str, *args: Any) -> None:
    query = sql.SQL("UPDATE read.menus SET {}, updated_at = %s WHERE cafe_id = %s")
    cur.execute(query.format(sql.SQL(assignments)), [*args, event.at, cafe_id])


def _set_availability(cur: Cursor[Any], event: e.AvailabilityChanged) -> None:
    cur.execute("SELECT dishes, extras FROM read.menus WHERE cafe_id = %s", [event.cafe_id])
    row = cur.fetchone()
    if row is None:
        return
    item = str(event.item_id)
    dishes = [{**d, "available": event.available} if d["id"] == item else d for d in row[0]]
    extras = [{**x, "available": event.available} if x["id"] == item else x for x in row[1]]
    _update(cur, event, event.cafe_id, "dishes = %s, extras = %s", Jsonb(dishes), Jsonb(extras))


def apply(cur: Cursor[Any], recorded: e.Recorded) -> None:
    event = recorded.event
    match event:
        case e.CafeRegistered():
            cur.execute(
                """INSERT INTO read.menus (cafe_id, name, timezone, currency, registered_at,
                                           updated_at)
                   VALUES (%s, %s, %s, %s, %s, %s)
                   ON CONFLICT (cafe_id) DO UPDATE SET name = EXCLUDED.name,
                       timezone = EXCLUDED.timezone, currency = EXCLUDED.currency,
                       updated_at = EXCLUDED.updated_at""",
                [event.cafe_id, event.name, event.timezone, event.currency, event.at, event.at],
            )
        case e.CafeRenamed():
            _update(cur, event, event.cafe_id, "name = %s", event.name)
        case e.CafeActivated() | e.CafeDeactivated():
            active = isinstance(event, e.CafeActivated)
            _update(cur, event, event.cafe_id, "active = %s", active)
        case e.MenuSet():
            dishes, extras = _json(event.dishes), _json(event.extras)
            _update(cur, event, event.cafe_id, "dishes = %s, extras = %s", dishes, extras)
        case e.AvailabilityChanged():
            _set_availability(cur, event)
        case e.CombosSet():
            _update(cur, event, event.cafe_id, "combos = %s", _json(event.combos))
        case e.ScheduleSet():
            _update(
                cur,
                event,
                event.cafe_id,
                "weekdays = %s, cutoff = %s, timezone = %s, holidays = %s",
                list(event.weekdays),
                event.cutoff,
                event.timezone,
                list(event.holidays),
            )
        case e.OrderingClosed():
            cur.execute(
                """INSERT INTO read.menu_closures (cafe_id, date, early, closed_at)
                   VALUES (%s, %s, %s, %s) ON CONFLICT (cafe_id, date) DO NOTHING""",
                [event.cafe_id, event.date, event.early, event.at],
            )
        case e.ChatLinked():
            _update(cur, event, event.cafe_id, "chat_id = %s", event.chat_id)
        case _:
            pass


projection = Projection(
    name="menus",
    handles=tags(
        e.CafeRegistered,
        e.CafeRenamed,
        e.CafeActivated,
        e.CafeDeactivated,
        e.MenuSet,
        e.AvailabilityChanged,
        e.CombosSet,
        e.ScheduleSet,
        e.OrderingClosed,
        e.ChatLinked,
    ),
    tables=("read.menus", "read.menu_closures"),
    ddl=DDL,
    apply=apply,
)
