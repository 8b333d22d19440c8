"""The sheets projection's batch path for rebuilds: placements and changes as set upserts.

A batch is cut at every event that is not an order placement or change. Those cut events
apply one by one through the single-event path, in their place: a closure decides whether
the order events after it are late, and the rest are rare (cancellations, dispatches,
profile changes). Between two cuts, placements and changes apply in waves of distinct
orders (``waves``), one statement per kind and wave, each row computing ``late`` against
the cafe-day as it stands, as the single-event statement does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from psycopg import Cursor

from domain import events as e
from projections.engine.base import Apply, ApplyMany, waves
from projections.models.order_waves import Upsert, as_columns, order_key, upsert_wave
from projections.models.sheet_statements import in_schema, order_conflict

_UPSERT_MANY = """
INSERT INTO {s}.sheet_orders AS o (order_id, cafe_id, date, tg_id, combo_id, combo_name,
    dishes, extras, total, currency, note, status, late, reason, placed_at, updated_at)
SELECT u.order_id, u.cafe_id, u.date, u.tg_id, u.combo_id, u.combo_name, u.dishes::jsonb,
    u.extras::jsonb, u.total, u.currency, u.note, 'placed',
    EXISTS (SELECT 1 FROM {s}.sheet_days d WHERE d.cafe_id = u.cafe_id
            AND d.date = u.date AND d.closed_at IS NOT NULL),
    NULL, u.at, u.at
FROM unnest(%b::uuid[], %b::uuid[], %b::date[], %b::bigint[], %b::uuid[], %b::text[],
    %b::text[], %b::text[], %b::bigint[], %b::text[], %b::text[], %b::timestamptz[])
    AS u(order_id, cafe_id, date, tg_id, combo_id, combo_name, dishes, extras, total,
         currency, note, at)
""" + order_conflict("%b::boolean")  # noqa: S608 - constant text, no input


def _columns(events: Sequence[Upsert]) -> list[list[Any]]:
    encode = msgspec.json.encode
    return as_columns(
        (
            event.order_id,
            event.cafe_id,
            event.date,
            event.tg_id,
            event.combo_id,
            event.combo_name,
            encode(event.dishes).decode(),
            encode(event.extras).decode(),
            event.total,
            event.currency,
            event.note,
            event.at,
        )
        for event in events
    )


def sheet_apply_many(schema: str, apply: Apply) -> ApplyMany:
    """The batch path of the sheets projection writing to ``schema``; ``apply`` its single path."""
    statement = in_schema(_UPSERT_MANY, schema)

    def upsert(cur: Cursor[Any], run: list[e.Recorded]) -> None:
        for wave in waves(run, order_key):
            upsert_wave(cur, statement, _columns, wave)

    def apply_many(cur: Cursor[Any], batch: Sequence[e.Recorded]) -> None:
        run: list[e.Recorded] = []
        for recorded in batch:
            if isinstance(recorded.event, Upsert):
                run.append(recorded)
                continue
            upsert(cur, run)
            run = []
            apply(cur, recorded)
        upsert(cur, run)

    return apply_many
