"""Reports read from the sheet tables: cafe-day sheets (a period's totals are in
``projections.reads.period_report``).

Counts and totals are summed here from the per-order rows, over placed orders that
arrived before the closure. Each function takes the schema to read (``read``, or
``pg_temp`` for a replay as of a moment).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

import msgspec
from psycopg import Connection
from psycopg.rows import dict_row
from psycopg.types.json import set_json_loads

from projections.models.sheets import in_schema
from projections.reads.period_report import period_report
from projections.reads.results import (
    CafeDaySheet,
    ComboCount,
    DishCount,
    ExtraCount,
    SheetLine,
)

DEFAULT_CURRENCY = "RUB"

__all__ = ["cafe_day_sheet", "cafe_day_sheets", "period_report"]

# Each takes the cafe-days as two arrays (cafe ids, dates): one round trip for many sheets.
_CAFES = "SELECT cafe_id, name, currency FROM {s}.sheet_cafes WHERE cafe_id = ANY(%s)"
_DAYS = """SELECT d.cafe_id, d.date, closed_at, early, dispatch_status, dispatched_at,
    acknowledged_at
FROM {s}.sheet_days d JOIN unnest(%s::uuid[], %s::date[]) AS k(cafe_id, date)
    ON d.cafe_id = k.cafe_id AND d.date = k.date"""
_ORDERS = """
SELECT o.cafe_id, o.date, o.order_id, o.tg_id, coalesce(p.name, o.tg_id::text) AS name,
    coalesce(p.office, '') AS office, o.combo_id, o.combo_name, o.dishes, o.extras, o.total,
    o.currency, o.note, o.status, o.late, o.reason
FROM {s}.sheet_orders o JOIN unnest(%s::uuid[], %s::date[]) AS k(cafe_id, date)
    ON o.cafe_id = k.cafe_id AND o.date = k.date
LEFT JOIN {s}.sheet_people p ON p.tg_id = o.tg_id
ORDER BY o.late, coalesce(p.office, ''), coalesce(p.name, o.tg_id::text), o.tg_id
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
    return cafe_day_sheets(conn, [(cafe_id, date)], as_of=as_of, schema=schema)[cafe_id, date]


CafeDay = tuple[uuid.UUID, dt.date]


def cafe_day_sheets(
    conn: Connection[Any],
    days: Sequence[CafeDay],
    *,
    as_of: dt.datetime | None,
    schema: str = "read",
) -> dict[CafeDay, CafeDaySheet | None]:
    """Several cafe-days' sheets in three queries (None: unknown cafe, no orders)."""
    ids = [cafe_id for cafe_id, _ in days]
    dates = [date for _, date in days]
    with conn.cursor(row_factory=dict_row) as cur:
        set_json_loads(msgspec.json.decode, cur)  # the dishes and extras of every order
        # Orders before days: an order flagged late was flagged by the transaction that
        # applied the closure or a later one, so the days read next show that closure.
        orders = cur.execute(in_schema(_ORDERS, schema), [ids, dates]).fetchall()
        cafes = {r["cafe_id"]: r for r in cur.execute(in_schema(_CAFES, schema), [ids])}
        found = cur.execute(in_schema(_DAYS, schema), [ids, dates]).fetchall()
    rows: dict[CafeDay, list[dict[str, Any]]] = {day: [] for day in days}
    for row in orders:  # in the sheet's order within each cafe-day
        rows[row["cafe_id"], row["date"]].append(row)
    day_rows = {(r["cafe_id"], r["date"]): r for r in found}
    return {
        day: _sheet(day, cafes.get(day[0]), day_rows.get(day, {}), rows[day], as_of) for day in rows
    }


def _sheet(
    key: CafeDay,
    cafe: dict[str, Any] | None,
    day: dict[str, Any],
    rows: list[dict[str, Any]],
    as_of: dt.datetime | None,
) -> CafeDaySheet | None:
    cafe_id, date = key
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
