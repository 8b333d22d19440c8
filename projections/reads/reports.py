"""Reports read from the sheet tables: a cafe-day sheet, and a period's totals.

Counts and totals are summed here from the per-order rows, over placed orders that
arrived before the closure. Each function takes the schema to read (``read``, or
``pg_temp`` for a replay as of a moment).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Any

import msgspec
from psycopg import Connection
from psycopg.rows import dict_row

from projections.models.sheets import in_schema
from projections.reads.results import (
    CafeDaySheet,
    CafeDayTotal,
    ComboCount,
    DishCount,
    EmployeeSpend,
    ExtraCount,
    PeriodReport,
    SheetLine,
)

DEFAULT_CURRENCY = "RUB"

_CAFE = "SELECT name, currency FROM {s}.sheet_cafes WHERE cafe_id = %s"
_DAY = """SELECT closed_at, early, dispatch_status, dispatched_at, acknowledged_at
FROM {s}.sheet_days WHERE cafe_id = %s AND date = %s"""
_ORDERS = """
SELECT o.order_id, o.tg_id, coalesce(p.name, o.tg_id::text) AS name,
    coalesce(p.office, '') AS office, o.combo_id, o.combo_name, o.dishes, o.extras, o.total,
    o.currency, o.note, o.status, o.late, o.reason
FROM {s}.sheet_orders o LEFT JOIN {s}.sheet_people p ON p.tg_id = o.tg_id
WHERE o.cafe_id = %s AND o.date = %s
ORDER BY o.late, coalesce(p.office, ''), coalesce(p.name, o.tg_id::text), o.tg_id
"""
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


def _extra_text(extra: dict[str, Any]) -> str:
    qty = int(extra["qty"])
    return str(extra["name"]) if qty == 1 else f"{extra['name']} ×{qty}"


def _line(row: dict[str, Any]) -> SheetLine:
    return SheetLine(
        order_id=row["order_id"],
        tg_id=row["tg_id"],
        name=row["name"],
        office=row["office"],
        combo_name=row["combo_name"],
        dishes=tuple(d["name"] for d in row["dishes"]),
        extras=tuple(_extra_text(x) for x in row["extras"]),
        total=row["total"],
        note=row["note"],
        status=row["status"],
        late=row["late"],
        reason=row["reason"],
    )


def _combos(rows: list[dict[str, Any]]) -> tuple[ComboCount, ...]:
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        counts[str(row["combo_id"]), row["combo_name"]] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0]))
    return tuple(ComboCount(combo_id=uuid.UUID(i), name=name, count=n) for (i, name), n in ranked)


def _dishes(rows: list[dict[str, Any]]) -> tuple[DishCount, ...]:
    """Per category, most ordered first."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for row in rows:
        for d in row["dishes"]:
            counts[d["category"], d["name"], d["dish_id"]] += 1
    ranked = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1], kv[0][2]))
    return tuple(
        DishCount(dish_id=uuid.UUID(i), name=name, category=category, count=n)
        for (category, name, i), n in ranked
    )


def _extras(rows: list[dict[str, Any]]) -> tuple[ExtraCount, ...]:
    qty: Counter[tuple[str, str]] = Counter()
    money: Counter[tuple[str, str]] = Counter()
    for row in rows:
        for x in row["extras"]:
            qty[x["name"], x["extra_id"]] += int(x["qty"])
            money[x["name"], x["extra_id"]] += int(x["qty"]) * int(x["price"])
    ranked = sorted(qty.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(
        ExtraCount(extra_id=uuid.UUID(i), name=name, qty=n, total=money[name, i])
        for (name, i), n in ranked
    )


def cafe_day_sheet(
    conn: Connection[Any],
    cafe_id: uuid.UUID,
    date: dt.date,
    *,
    as_of: dt.datetime | None,
    schema: str = "read",
) -> CafeDaySheet | None:
    """The cafe-day's sheet; None when the cafe is unknown and has no orders that day."""
    with conn.cursor(row_factory=dict_row) as cur:
        cafe = cur.execute(in_schema(_CAFE, schema), [cafe_id]).fetchone()
        day = cur.execute(in_schema(_DAY, schema), [cafe_id, date]).fetchone() or {}
        rows = cur.execute(in_schema(_ORDERS, schema), [cafe_id, date]).fetchall()
    if cafe is None and not rows:
        return None
    counted = [r for r in rows if r["status"] == "placed" and not r["late"]]
    currencies = [r["currency"] for r in rows]
    currency = cafe["currency"] if cafe else (currencies[0] if currencies else DEFAULT_CURRENCY)
    return CafeDaySheet(
        cafe_id=cafe_id,
        cafe_name=cafe["name"] if cafe else "",
        date=date,
        as_of=as_of,
        closed=day.get("closed_at") is not None,
        closed_at=day.get("closed_at"),
        early=bool(day.get("early", False)),
        dispatch_status=day.get("dispatch_status"),
        dispatched_at=day.get("dispatched_at"),
        acknowledged_at=day.get("acknowledged_at"),
        orders_count=len(counted),
        total=sum(r["total"] for r in counted),
        currency=currency,
        combos=_combos(counted),
        dishes=_dishes(counted),
        extras=_extras(counted),
        orders=tuple(_line(r) for r in counted),
        late=tuple(_line(r) for r in rows if r["late"]),
    )


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
