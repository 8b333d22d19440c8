"""The sheets projection's batch path for rebuilds and reports as of a moment: placements,
changes and cancellations of orders, and registrations of employees, as set statements.

A batch is cut into runs of order events, runs of registrations, and the events between
them. Those other events apply one by one through the single-event path, in their place: a
closure decides whether the order events after it are late, and the rest are rare
(rejections, dispatches, profile changes). Within a run, events apply in waves of distinct
orders or people (``waves``), one statement per kind and wave; the rows of one wave are
distinct, so the kinds' order within it does not matter. Each order row computes ``late``
against the cafe-day as it stands, as the single-event statements do.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import groupby
from typing import Any, cast

from psycopg import Cursor

from domain import events as e
from projections.engine.base import Apply, ApplyMany, waves
from projections.models.order_waves import Upsert, as_rows, json_rows, order_key, upsert_wave
from projections.models.sheet_statements import in_schema, order_conflict

# Rows as JSON (order_waves.as_rows), in the order of the columns json_rows names.
# Late as the single-event EXISTS has it (here and in _CANCEL_MANY), but written as a lookup
# of the cafe-day by its key for each row: PostgreSQL may run an EXISTS as a hash of all of
# sheet_days instead, rebuilt by every statement, and a plan cached while the table was
# small goes on building that hash once it has grown.
_UPSERT_MANY = (
    """
INSERT INTO {s}.sheet_orders AS o (order_id, cafe_id, date, tg_id, combo_id, combo_name,
    dishes, extras, total, currency, note, status, late, reason, placed_at, updated_at)
SELECT u.order_id, u.cafe_id, u.date, u.tg_id, u.combo_id, u.combo_name, u.dishes,
    u.extras, u.total, u.currency, u.note, 'placed',
    coalesce((SELECT d.closed_at IS NOT NULL FROM {s}.sheet_days d
              WHERE d.cafe_id = u.cafe_id AND d.date = u.date), false),
    NULL, u.at, u.at
FROM """  # noqa: S608 - constant text, no input
    + json_rows(
        "order_id uuid, cafe_id uuid, date date, tg_id bigint, combo_id uuid, combo_name text,"
        " dishes jsonb, extras jsonb, total bigint, currency text, note text, at timestamptz"
    )
    + """ AS u
"""
    + order_conflict("%s::boolean")
)
_CANCEL_MANY = (
    """
UPDATE {s}.sheet_orders o SET status = 'cancelled', updated_at = u.at,
    late = o.late OR coalesce((SELECT d.closed_at IS NOT NULL FROM {s}.sheet_days d
                               WHERE d.cafe_id = o.cafe_id AND d.date = o.date), false)
FROM """  # noqa: S608 - constant text, no input
    + json_rows("order_id uuid, at timestamptz")
    + """ AS u
WHERE o.order_id = u.order_id
"""
)
_HIRED_MANY = (
    """
INSERT INTO {s}.sheet_people (tg_id, name, office, monthly_limit)
SELECT tg_id, name, office, monthly_limit
FROM """
    + json_rows("tg_id bigint, name text, office text, monthly_limit bigint")
    + """ AS u
ON CONFLICT (tg_id) DO UPDATE SET name = EXCLUDED.name, office = EXCLUDED.office,
    monthly_limit = EXCLUDED.monthly_limit
"""
)
OrderRun = e.OrderPlaced | e.OrderChanged | e.OrderCancelled


def _rows(upserts: Sequence[e.Recorded]) -> list[tuple[Any, ...]]:
    """The rows of ``_UPSERT_MANY``, in its order of columns."""
    events = [cast(Upsert, r.event) for r in upserts]
    return [
        (
            event.order_id,
            event.cafe_id,
            event.date,
            event.tg_id,
            event.combo_id,
            event.combo_name,
            event.dishes,
            event.extras,
            event.total,
            event.currency,
            event.note,
            event.at,
        )
        for event in events
    ]


def _tg_id(recorded: e.Recorded) -> Hashable:
    event = recorded.event
    assert isinstance(event, e.EmployeeRegistered)
    return event.tg_id


def _run_kind(event: e.Event) -> str | None:
    """Which set-based run an event joins (None: it applies alone)."""
    if isinstance(event, OrderRun):
        return "orders"
    if isinstance(event, e.EmployeeRegistered):
        return "hires"
    return None


def _orders(cur: Cursor[Any], statements: tuple[str, str], run: list[e.Recorded]) -> None:
    upsert, cancel = statements
    for wave in waves(run, order_key):
        upsert_wave(cur, upsert, _rows, wave)
        cancelled = [r.event for r in wave if isinstance(r.event, e.OrderCancelled)]
        if cancelled:
            # Planned afresh each time: a plan cached while the table was small could join
            # it with the rows by scanning all of it once it has grown.
            cur.execute(cancel, [as_rows((c.order_id, c.at) for c in cancelled)], prepare=False)


def _register(cur: Cursor[Any], statement: str, run: list[e.Recorded]) -> None:
    for wave in waves(run, _tg_id):
        people = [r.event for r in wave if isinstance(r.event, e.EmployeeRegistered)]
        rows = ((p.tg_id, p.name, p.office, p.monthly_limit) for p in people)
        cur.execute(statement, [as_rows(rows)])


def sheet_apply_many(schema: str, apply: Apply) -> ApplyMany:
    """The batch path of the sheets projection writing to ``schema``; ``apply`` its single path."""
    upsert, cancel, hires = (
        in_schema(statement, schema) for statement in (_UPSERT_MANY, _CANCEL_MANY, _HIRED_MANY)
    )

    def apply_many(cur: Cursor[Any], batch: Sequence[e.Recorded]) -> None:
        for kind, group in groupby(batch, key=lambda r: _run_kind(r.event)):
            run = list(group)
            if kind == "orders":
                _orders(cur, (upsert, cancel), run)
            elif kind == "hires":
                _register(cur, hires, run)
            else:
                for recorded in run:
                    apply(cur, recorded)

    return apply_many
