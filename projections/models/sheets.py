"""Cafe-day sheets: each cafe-day's orders, closure and dispatch state, and who ordered.

One row per order (counts and totals are summed when read, so a change or a cancellation
is one upsert, never a recomputation), one row per cafe-day that closed or was dispatched,
the cafes' names and the employees' names, offices and monthly limits. An order event
that arrives after its cafe-day's closure is flagged ``late``; late orders are left out of
the sheet's counts. Reports and employee stats are queries over these tables.

The statements take the schema as a parameter: ``read`` for the live model, ``pg_temp``
for a report replayed "as of" a moment (projections.audit.as_of).
"""

from __future__ import annotations

from typing import Any

from psycopg import Cursor

from domain import events as e
from projections.engine.base import Projection, tags
from projections.models.copy_text import CONTENT_COLUMNS, content_cells, stamp, text
from projections.models.order_folds import Folded, FreshOrders
from projections.models.sheet_batches import sheet_apply_many
from projections.models.sheet_statements import TEMPLATES, in_schema, statement_for

__all__ = ["NAME", "TABLES", "in_schema", "projection", "sheet_projection"]

NAME = "sheets"
TABLES = ("sheet_cafes", "sheet_people", "sheet_days", "sheet_orders")

_DDL = (
    """CREATE TABLE IF NOT EXISTS {s}.sheet_cafes (
        cafe_id uuid PRIMARY KEY,
        name text NOT NULL,
        currency text NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {s}.sheet_people (
        tg_id bigint PRIMARY KEY,
        name text NOT NULL,
        office text NOT NULL,
        monthly_limit bigint)""",
    """CREATE TABLE IF NOT EXISTS {s}.sheet_days (
        cafe_id uuid NOT NULL,
        date date NOT NULL,
        closed_at timestamptz,
        early boolean NOT NULL DEFAULT false,
        dispatch_status text,
        dispatched_at timestamptz,
        acknowledged_at timestamptz,
        PRIMARY KEY (cafe_id, date))""",
    """CREATE TABLE IF NOT EXISTS {s}.sheet_orders (
        order_id uuid PRIMARY KEY,
        cafe_id uuid NOT NULL,
        date date NOT NULL,
        tg_id bigint NOT NULL,
        combo_id uuid NOT NULL,
        combo_name text NOT NULL,
        dishes jsonb NOT NULL,
        extras jsonb NOT NULL,
        total bigint NOT NULL,
        currency text NOT NULL,
        note text NOT NULL,
        status text NOT NULL,
        late boolean NOT NULL,
        reason text,
        placed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS sheet_orders_by_day ON {s}.sheet_orders (cafe_id, date)",
    "CREATE INDEX IF NOT EXISTS sheet_orders_by_date ON {s}.sheet_orders (date)",
    "CREATE INDEX IF NOT EXISTS sheet_orders_by_employee ON {s}.sheet_orders (tg_id, date)",
)

_COPY = f"""COPY {{s}}.sheet_orders ({CONTENT_COLUMNS}, status, late, reason, placed_at,
    updated_at) FROM STDIN"""


def _line(row: Folded) -> str:
    """``row`` as ``_COPY`` reads it."""
    late = "t" if row.late else "f"
    return (
        f"{content_cells(row.content)}\t{row.status}\t{late}\t{text(row.reason)}\t"
        f"{stamp(row.placed_at)}\t{stamp(row.updated_at)}\n"
    )


_BY = ("sheet_orders_by_day", "sheet_orders_by_date", "sheet_orders_by_employee")


def sheet_projection(schema: str = "read") -> Projection:
    """The sheets projection writing to ``schema``."""
    statements = {template: in_schema(template, schema) for template in TEMPLATES}

    def apply(cur: Cursor[Any], recorded: e.Recorded) -> None:
        event = recorded.event
        found = statement_for(event)
        if found is not None:
            template, params = found
            cur.execute(statements[template], params)

    apply_many = sheet_apply_many(schema, apply)
    copy, days = in_schema(_COPY, schema), in_schema("{s}.sheet_days", schema)

    def loader() -> FreshOrders:
        return FreshOrders(copy, _line, apply_many, closures=days)

    return Projection(
        name=NAME,
        handles=tags(
            e.OrderPlaced,
            e.OrderChanged,
            e.OrderCancelled,
            e.OrderRejected,
            e.OrderingClosed,
            e.DispatchSent,
            e.DispatchLogged,
            e.DispatchFailed,
            e.DispatchAcknowledged,
            e.CafeRegistered,
            e.CafeRenamed,
            e.EmployeeRegistered,
            e.EmployeeUpdated,
            e.MonthlyLimitSet,
        ),
        tables=tuple(f"{schema}.{table}" for table in TABLES),
        ddl=tuple(in_schema(statement, schema) for statement in _DDL),
        apply=apply,
        apply_many=apply_many,
        # Its statements find orders by id and cafe-days by key, never through these.
        deferred_indexes=tuple(f"{schema}.{index}" for index in _BY),
        loader=loader,
    )


projection = sheet_projection()
