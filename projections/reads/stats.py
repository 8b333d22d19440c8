"""Employee stats and balance: a period's spend (from the orders read model) against the
monthly limit, and the dishes ordered most often (from the sheets' per-order rows).

Not a projection of its own: the sheets already keep one row per order and each person's
limit, and a second per-order table would cost every order event another statement in
rebuilds and in the projector.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from psycopg import Connection
from psycopg.rows import dict_row

from domain.money import SPENT_STATUS
from projections.reads.results import EmployeeStats, FavouriteDish, Spending

_SPENT = """SELECT count(*), coalesce(sum(total), 0) FROM read.orders
WHERE tg_id = %s AND date BETWEEN %s AND %s AND status = %s"""
_MONTHLY_LIMIT = "SELECT monthly_limit FROM read.sheet_people WHERE tg_id = %s"
_FAVOURITES = """SELECT d->>'dish_id' AS dish_id, max(d->>'name') AS name, count(*) AS count
FROM read.sheet_orders, jsonb_array_elements(dishes) AS d
WHERE tg_id = %s AND status = 'placed' AND NOT late AND date <= %s
GROUP BY d->>'dish_id' ORDER BY count(*) DESC, max(d->>'name') LIMIT %s"""


def spending(conn: Connection[Any], tg_id: int, date_from: dt.date, date_to: dt.date) -> Spending:
    """The employee's spend between two dates, as ``domain.money.SPENT_STATUS`` defines it."""
    row = conn.execute(_SPENT, [tg_id, date_from, date_to, SPENT_STATUS]).fetchone()
    count, total = row if row else (0, 0)
    return Spending(orders=int(count), total=int(total))


def employee_stats(
    conn: Connection[Any], tg_id: int, date_from: dt.date, date_to: dt.date, *, favourites: int
) -> EmployeeStats:
    """Placed orders between two dates against the monthly limit; the dishes ordered most
    often up to ``date_to``."""
    spent = spending(conn, tg_id, date_from, date_to)
    limit = conn.execute(_MONTHLY_LIMIT, [tg_id]).fetchone()
    with conn.cursor(row_factory=dict_row) as cur:
        top = cur.execute(_FAVOURITES, [tg_id, date_to, favourites]).fetchall()
    count, total = spent.orders, spent.total
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
