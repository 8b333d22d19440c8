"""The sheets projection's statements, and which one each event writes.

Each template takes the schema as ``{s}`` (see ``in_schema``).
"""

from __future__ import annotations

from typing import Any

import msgspec
from psycopg import sql

from domain import events as e
from projections.models.order_waves import placed_at_rule

Statement = tuple[str, dict[str, Any]]


def in_schema(template: str, schema: str) -> str:
    """``template`` with ``{s}`` replaced by the quoted schema name."""
    return sql.SQL(template).format(s=sql.Identifier(schema)).as_string(None)


def order_conflict(placed: str) -> str:
    """What a placement or a change does to an order's existing row, in the per-event and
    the batch upsert alike; ``placed`` is the parameter saying which of the two it is."""
    return """ON CONFLICT (order_id) DO UPDATE SET
    cafe_id = EXCLUDED.cafe_id, date = EXCLUDED.date, tg_id = EXCLUDED.tg_id,
    combo_id = EXCLUDED.combo_id, combo_name = EXCLUDED.combo_name, dishes = EXCLUDED.dishes,
    extras = EXCLUDED.extras, total = EXCLUDED.total, currency = EXCLUDED.currency,
    note = EXCLUDED.note, status = 'placed', reason = NULL, late = o.late OR EXCLUDED.late,
    updated_at = EXCLUDED.updated_at,
    """ + placed_at_rule(placed)


# Late: the cafe-day had closed when the event arrived (same Kafka key, so in log order).
_ORDER = """
INSERT INTO {s}.sheet_orders AS o (order_id, cafe_id, date, tg_id, combo_id, combo_name,
    dishes, extras, total, currency, note, status, late, reason, placed_at, updated_at)
SELECT %(order_id)s, %(cafe_id)s, %(date)s, %(tg_id)s, %(combo_id)s, %(combo_name)s,
    %(dishes)s::jsonb, %(extras)s::jsonb, %(total)s, %(currency)s, %(note)s, 'placed',
    EXISTS (SELECT 1 FROM {s}.sheet_days d WHERE d.cafe_id = %(cafe_id)s
            AND d.date = %(date)s AND d.closed_at IS NOT NULL),
    NULL, %(at)s, %(at)s
""" + order_conflict("%(placed)s")  # noqa: S608 - constant text, no input
_CANCEL = """
UPDATE {s}.sheet_orders o SET status = 'cancelled', updated_at = %(at)s,
    late = o.late OR EXISTS (SELECT 1 FROM {s}.sheet_days d WHERE d.cafe_id = o.cafe_id
                             AND d.date = o.date AND d.closed_at IS NOT NULL)
WHERE o.order_id = %(order_id)s
"""
_REJECT = """UPDATE {s}.sheet_orders SET status = 'rejected', reason = %(reason)s,
    updated_at = %(at)s WHERE order_id = %(order_id)s"""
_CAFE = """INSERT INTO {s}.sheet_cafes (cafe_id, name, currency)
VALUES (%(cafe_id)s, %(name)s, %(currency)s)
ON CONFLICT (cafe_id) DO UPDATE SET name = EXCLUDED.name, currency = EXCLUDED.currency"""
_RENAME = "UPDATE {s}.sheet_cafes SET name = %(name)s WHERE cafe_id = %(cafe_id)s"
_HIRED = """INSERT INTO {s}.sheet_people (tg_id, name, office, monthly_limit)
VALUES (%(tg_id)s, %(name)s, %(office)s, %(monthly_limit)s)
ON CONFLICT (tg_id) DO UPDATE SET name = EXCLUDED.name, office = EXCLUDED.office,
    monthly_limit = EXCLUDED.monthly_limit"""
_PERSON = """UPDATE {s}.sheet_people SET name = %(name)s, office = %(office)s
WHERE tg_id = %(tg_id)s"""
_LIMIT = "UPDATE {s}.sheet_people SET monthly_limit = %(monthly_limit)s WHERE tg_id = %(tg_id)s"
# The first closure counts; a repeated one changes nothing.
_CLOSE = """INSERT INTO {s}.sheet_days AS d (cafe_id, date, closed_at, early)
VALUES (%(cafe_id)s, %(date)s, %(at)s, %(early)s)
ON CONFLICT (cafe_id, date) DO UPDATE SET
    early = CASE WHEN d.closed_at IS NULL THEN EXCLUDED.early ELSE d.early END,
    closed_at = coalesce(d.closed_at, EXCLUDED.closed_at)"""
_DISPATCH = """INSERT INTO {s}.sheet_days AS d (cafe_id, date, dispatch_status, dispatched_at)
VALUES (%(cafe_id)s, %(date)s, %(status)s, %(at)s)
ON CONFLICT (cafe_id, date) DO UPDATE SET dispatch_status = EXCLUDED.dispatch_status,
    dispatched_at = EXCLUDED.dispatched_at, acknowledged_at = NULL"""
_ACKNOWLEDGE = """INSERT INTO {s}.sheet_days AS d (cafe_id, date, dispatch_status,
    acknowledged_at)
VALUES (%(cafe_id)s, %(date)s, 'acknowledged', %(at)s)
ON CONFLICT (cafe_id, date) DO UPDATE SET dispatch_status = 'acknowledged',
    acknowledged_at = coalesce(d.acknowledged_at, EXCLUDED.acknowledged_at)"""

_DISPATCH_STATUS = {e.DispatchSent: "sent", e.DispatchLogged: "logged", e.DispatchFailed: "failed"}


def _order(event: e.OrderPlaced | e.OrderChanged) -> dict[str, Any]:
    return {
        "order_id": event.order_id,
        "cafe_id": event.cafe_id,
        "date": event.date,
        "tg_id": event.tg_id,
        "combo_id": event.combo_id,
        "combo_name": event.combo_name,
        # msgspec writes the JSON far faster than psycopg's Jsonb (json.dumps) would.
        "dishes": msgspec.json.encode(event.dishes).decode(),
        "extras": msgspec.json.encode(event.extras).decode(),
        "total": event.total,
        "currency": event.currency,
        "note": event.note,
        "at": event.at,
        "placed": isinstance(event, e.OrderPlaced),
    }


def order_statement(event: e.Event) -> Statement | None:
    """What an order event writes, if anything (template and parameters)."""
    match event:
        case e.OrderPlaced() | e.OrderChanged():
            return _ORDER, _order(event)
        case e.OrderCancelled():
            return _CANCEL, {"order_id": event.order_id, "at": event.at}
        case e.OrderRejected():
            return _REJECT, {"order_id": event.order_id, "reason": event.reason, "at": event.at}
    return None


def day_statement(event: e.Event) -> Statement | None:
    """What a cafe-day event (closure, dispatch) writes, if anything."""
    match event:
        case e.OrderingClosed():
            values = {"cafe_id": event.cafe_id, "date": event.date, "at": event.at}
            return _CLOSE, {**values, "early": event.early}
        case e.DispatchSent() | e.DispatchLogged() | e.DispatchFailed():
            values = {"cafe_id": event.cafe_id, "date": event.date, "at": event.at}
            return _DISPATCH, {**values, "status": _DISPATCH_STATUS[type(event)]}
        case e.DispatchAcknowledged():
            return _ACKNOWLEDGE, {"cafe_id": event.cafe_id, "date": event.date, "at": event.at}
    return None


def name_statement(event: e.Event) -> Statement | None:
    """What a cafe's or an employee's profile event writes, if anything."""
    match event:
        case e.CafeRegistered():
            values = {"cafe_id": event.cafe_id, "name": event.name}
            return _CAFE, {**values, "currency": event.currency}
        case e.CafeRenamed():
            return _RENAME, {"cafe_id": event.cafe_id, "name": event.name}
        case e.EmployeeRegistered():
            values = {"tg_id": event.tg_id, "name": event.name, "office": event.office}
            return _HIRED, {**values, "monthly_limit": event.monthly_limit}
        case e.EmployeeUpdated():
            return _PERSON, {"tg_id": event.tg_id, "name": event.name, "office": event.office}
        case e.MonthlyLimitSet():
            return _LIMIT, {"tg_id": event.tg_id, "monthly_limit": event.monthly_limit}
    return None


TEMPLATES = (
    *(_ORDER, _CANCEL, _REJECT, _CLOSE, _DISPATCH, _ACKNOWLEDGE),
    *(_CAFE, _RENAME, _HIRED, _PERSON, _LIMIT),
)


def statement_for(event: e.Event) -> Statement | None:
    """What ``event`` writes to the sheets, if anything (template and parameters)."""
    return order_statement(event) or day_statement(event) or name_statement(event)
