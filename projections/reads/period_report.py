"""A period's totals from the sheet tables: per cafe-day and per employee, over placed
orders that arrived before their cafe-day's closure. Takes the schema to read (``read``,
or ``pg_temp`` for a replay as of a moment)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import msgspec
from psycopg import Connection
from psycopg.rows import dict_row

from projections.models.sheets import in_schema
from projections.reads.results import CafeDayTotal, EmployeeSpend, PeriodReport

_PER_CAFE_DAY = """
SELECT o.cafe_id, coalesce(c.name, '') AS cafe_name, o.date, count(*) AS orders_count,
    sum(o.total)::bigint AS total, o.currency
FROM {s}.sheet_orders o LEFT JOIN {s}.sheet_cafes c ON c.cafe_id = o.cafe_id
WHERE o.date BETWEEN %(from)s AND %(to)s AND o.status = 'placed' AND NOT o.late
GROUP BY o.cafe_id, c.name, o.date, o.currency
ORDER BY o.date, cafe_name, o.cafe_id
"""
_PER_EMPLOYEE = """
SELECT o.tg_id, coalesce(p.name, o.tg_id::text) AS name, coalesce(p.office, '') AS office,
    count(*) AS orders_count, sum(o.total)::bigint AS total, o.currency
FROM {s}.sheet_orders o LEFT JOIN {s}.sheet_people p ON p.tg_id = o.tg_id
WHERE o.date BETWEEN %(from)s AND %(to)s AND o.status = 'placed' AND NOT o.late
GROUP BY o.tg_id, p.name, p.office, o.currency
ORDER BY name, o.tg_id, o.currency
"""


def period_report(
    conn: Connection[Any], date_from: dt.date, date_to: dt.date, *, schema: str = "read"
) -> PeriodReport:
    """Per cafe-day and per employee: placed, on-time orders and their totals."""
    bounds = {"from": date_from, "to": date_to}
    with conn.cursor(row_factory=dict_row) as cur:
        cafes = cur.execute(in_schema(_PER_CAFE_DAY, schema), bounds).fetchall()
        people = cur.execute(in_schema(_PER_EMPLOYEE, schema), bounds).fetchall()
    totals: Counter[str] = Counter()
    for row in cafes:
        totals[row["currency"]] += row["total"]
    return PeriodReport(
        date_from=date_from,
        date_to=date_to,
        orders_count=sum(r["orders_count"] for r in cafes),
        totals=dict(sorted(totals.items())),
        cafes=tuple(msgspec.convert(cafes, list[CafeDayTotal])),
        employees=tuple(msgspec.convert(people, list[EmployeeSpend])),
    )
