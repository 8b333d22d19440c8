"""What the recommender reads from the read models (schema ``read``), in its own few queries.

Its own SQL rather than ``projections.queries``: it needs the whole office at once (every
active employee's history and spend in one query each), which the per-user API queries do
not offer, and the read models are the published interface of the read side.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from psycopg import Connection

from recommender.day import CafeSchedule
from recommender.model import MenuDish, PastDish

HISTORY_DAYS = 90

_ACTIVE = """SELECT DISTINCT o.tg_id FROM read.orders o JOIN read.employees e USING (tg_id)
WHERE e.active AND o.placed_at >= %s ORDER BY o.tg_id"""
_SCHEDULES = """SELECT m.cafe_id::text, m.timezone, m.weekdays, m.cutoff, m.holidays,
    coalesce(array_agg(c.date) FILTER (WHERE c.date IS NOT NULL), '{}')
FROM read.menus m LEFT JOIN read.menu_closures c ON c.cafe_id = m.cafe_id AND c.date >= %s
WHERE m.active GROUP BY m.cafe_id"""
_MENUS = """SELECT cafe_id::text, name, dishes, combos FROM read.menus
WHERE cafe_id = ANY(%s::uuid[])"""
_HISTORY = """SELECT o.tg_id, o.date, o.cafe_id::text, d->>'dish_id'
FROM read.orders o, jsonb_array_elements(o.dishes) AS d
WHERE o.tg_id = ANY(%s) AND o.status = 'placed' AND o.date >= %s
ORDER BY o.tg_id, o.date"""
_REMAINING = """SELECT e.tg_id, e.monthly_limit - coalesce(sum(o.total), 0)
FROM read.employees e LEFT JOIN read.orders o
    ON o.tg_id = e.tg_id AND o.status = 'placed' AND o.date BETWEEN %s AND %s
WHERE e.tg_id = ANY(%s) AND e.monthly_limit IS NOT NULL GROUP BY e.tg_id"""


def active_employees(conn: Connection[Any], now: dt.datetime, days: int = 30) -> list[int]:
    """Employees in the directory who placed an order in the last ``days`` days."""
    rows = conn.execute(_ACTIVE, [now - dt.timedelta(days=days)]).fetchall()
    return [int(r[0]) for r in rows]


def schedules(conn: Connection[Any], today: dt.date) -> list[CafeSchedule]:
    return [
        CafeSchedule(
            cafe_id=cafe_id,
            timezone=tz,
            weekdays=tuple(weekdays),
            cutoff=cutoff,
            holidays=frozenset(holidays),
            closed=frozenset(closed),
        )
        for cafe_id, tz, weekdays, cutoff, holidays, closed in conn.execute(
            _SCHEDULES, [today]
        ).fetchall()
    ]


def _cheapest(combos: list[dict[str, Any]], category: str) -> int | None:
    prices = [int(c["price"]) for c in combos if category in c.get("categories", [])]
    return min(prices) if prices else None


def menu(conn: Connection[Any], cafe_ids: list[str]) -> list[MenuDish]:
    """Available dishes of these cafes that some combo lets one order, with its cheapest."""
    found = []
    for cafe_id, cafe_name, dishes, combos in conn.execute(_MENUS, [cafe_ids]).fetchall():
        for dish in dishes:
            price = _cheapest(combos, dish["category"])
            if not dish.get("available", True) or price is None:
                continue
            found.append(
                MenuDish(
                    cafe_id=cafe_id,
                    cafe_name=cafe_name,
                    dish_id=dish["id"],
                    name=dish["name"],
                    category=dish["category"],
                    combo_price=price,
                )
            )
    found.sort(key=lambda d: (d.cafe_name, d.category, d.name, d.dish_id))
    return found


def history(conn: Connection[Any], tg_ids: list[int], day: dt.date) -> dict[int, list[PastDish]]:
    since = day - dt.timedelta(days=HISTORY_DAYS)
    found: dict[int, list[PastDish]] = {}
    for tg_id, date, cafe_id, dish_id in conn.execute(_HISTORY, [tg_ids, since]).fetchall():
        found.setdefault(int(tg_id), []).append(
            PastDish(date=date, cafe_id=cafe_id, dish_id=dish_id)
        )
    return found


def remaining(conn: Connection[Any], tg_ids: list[int], day: dt.date) -> dict[int, int]:
    """What is left of the monthly limit in ``day``'s month, for employees with a limit."""
    first = day.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    rows = conn.execute(_REMAINING, [first, last, tg_ids]).fetchall()
    return {int(tg_id): max(int(left), 0) for tg_id, left in rows}
