"""Employee stats and balance: each employee's orders (what they cost, what they held) and
monthly limit, summed per month and ranked per dish when read."""

from __future__ import annotations

from typing import Any

import msgspec
from psycopg import Cursor
from psycopg.types.json import Jsonb

from domain import events as e
from projections.base import Projection, tags

DDL = (
    """CREATE TABLE IF NOT EXISTS read.stats_orders (
        order_id uuid PRIMARY KEY,
        tg_id bigint NOT NULL,
        cafe_id uuid NOT NULL,
        date date NOT NULL,
        total bigint NOT NULL,
        currency text NOT NULL,
        status text NOT NULL,
        dishes jsonb NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS stats_orders_by_employee ON read.stats_orders (tg_id, date)",
    """CREATE TABLE IF NOT EXISTS read.stats_limits (
        tg_id bigint PRIMARY KEY,
        monthly_limit bigint)""",
)

_ORDER = """
INSERT INTO read.stats_orders (order_id, tg_id, cafe_id, date, total, currency, status, dishes)
VALUES (%(order_id)s, %(tg_id)s, %(cafe_id)s, %(date)s, %(total)s, %(currency)s, 'placed',
        %(dishes)s)
ON CONFLICT (order_id) DO UPDATE SET tg_id = EXCLUDED.tg_id, cafe_id = EXCLUDED.cafe_id,
    date = EXCLUDED.date, total = EXCLUDED.total, currency = EXCLUDED.currency,
    status = 'placed', dishes = EXCLUDED.dishes
"""
_STATUS = "UPDATE read.stats_orders SET status = %s WHERE order_id = %s"
_LIMIT = """INSERT INTO read.stats_limits (tg_id, monthly_limit) VALUES (%s, %s)
ON CONFLICT (tg_id) DO UPDATE SET monthly_limit = EXCLUDED.monthly_limit"""


def apply(cur: Cursor[Any], recorded: e.Recorded) -> None:
    event = recorded.event
    match event:
        case e.OrderPlaced() | e.OrderChanged():
            cur.execute(
                _ORDER,
                {
                    "order_id": event.order_id,
                    "tg_id": event.tg_id,
                    "cafe_id": event.cafe_id,
                    "date": event.date,
                    "total": event.total,
                    "currency": event.currency,
                    "dishes": Jsonb(msgspec.to_builtins(event.dishes)),
                },
            )
        case e.OrderCancelled():
            cur.execute(_STATUS, ["cancelled", event.order_id])
        case e.OrderRejected():
            cur.execute(_STATUS, ["rejected", event.order_id])
        case e.EmployeeRegistered() | e.MonthlyLimitSet():
            cur.execute(_LIMIT, [event.tg_id, event.monthly_limit])
        case _:
            pass


projection = Projection(
    name="employee_stats",
    handles=tags(
        e.OrderPlaced,
        e.OrderChanged,
        e.OrderCancelled,
        e.OrderRejected,
        e.EmployeeRegistered,
        e.MonthlyLimitSet,
    ),
    tables=("read.stats_orders", "read.stats_limits"),
    ddl=DDL,
    apply=apply,
)
