"""Employee stats and balance: each employee's orders (what they cost, what they held) and
monthly limit, summed per month and ranked per dish when read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from psycopg import Connection, Cursor
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from domain import events as e
from projections.base import Projection, tags
from projections.views import EmployeeStats, FavouriteDish

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


_SPENT = """SELECT count(*), coalesce(sum(total), 0) FROM read.stats_orders
WHERE tg_id = %s AND date BETWEEN %s AND %s AND status = 'placed'"""
_MONTHLY_LIMIT = "SELECT monthly_limit FROM read.stats_limits WHERE tg_id = %s"
_FAVOURITES = """SELECT d->>'dish_id' AS dish_id, max(d->>'name') AS name, count(*) AS count
FROM read.stats_orders, jsonb_array_elements(dishes) AS d
WHERE tg_id = %s AND status = 'placed' AND date <= %s
GROUP BY d->>'dish_id' ORDER BY count(*) DESC, max(d->>'name') LIMIT %s"""


def employee_stats(
    conn: Connection[Any], tg_id: int, date_from: dt.date, date_to: dt.date, *, favourites: int
) -> EmployeeStats:
    """Placed orders between two dates against the monthly limit; the dishes ordered most
    often up to ``date_to``."""
    spent = conn.execute(_SPENT, [tg_id, date_from, date_to]).fetchone()
    limit = conn.execute(_MONTHLY_LIMIT, [tg_id]).fetchone()
    with conn.cursor(row_factory=dict_row) as cur:
        top = cur.execute(_FAVOURITES, [tg_id, date_to, favourites]).fetchall()
    count, total = (int(spent[0]), int(spent[1])) if spent else (0, 0)
    monthly_limit = limit[0] if limit else None
    return EmployeeStats(
        tg_id=tg_id,
        date_from=date_from,
        date_to=date_to,
        monthly_limit=monthly_limit,
        spent=total,
        orders=count,
        remaining=None if monthly_limit is None else max(monthly_limit - total, 0),
        favourite_dishes=tuple(msgspec.convert(top, list[FavouriteDish])),
    )
