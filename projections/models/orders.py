"""Orders: one row per order as the employee sees it (my orders, orders of a day)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from psycopg import Cursor
from psycopg.types.json import Jsonb

from domain import events as e
from projections.engine.base import Projection, tags, waves
from projections.models.order_folds import (
    CONTENT_COLUMNS,
    Folded,
    FreshOrders,
    content_cells,
    stamp,
    text,
)
from projections.models.order_waves import Upsert, as_rows, json_rows, order_key, upsert_wave

DDL = (
    """CREATE TABLE IF NOT EXISTS read.orders (
        order_id uuid PRIMARY KEY,
        tg_id bigint NOT NULL,
        cafe_id uuid NOT NULL,
        cafe_name text NOT NULL,
        date date NOT NULL,
        combo_id uuid NOT NULL,
        combo_name text NOT NULL,
        combo_price bigint NOT NULL,
        dishes jsonb NOT NULL,
        extras jsonb NOT NULL,
        total bigint NOT NULL,
        currency text NOT NULL,
        note text NOT NULL,
        status text NOT NULL,
        reason text,
        placed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        editable_until timestamptz)""",
    "CREATE INDEX IF NOT EXISTS orders_by_employee ON read.orders (tg_id, date)",
    "CREATE INDEX IF NOT EXISTS orders_by_date ON read.orders (date, cafe_id)",
)


def _conflict(placed: str) -> str:
    """What a placement or a change does to an existing row, in the per-event and the batch
    upsert alike; ``placed`` is the parameter saying which of the two it is."""
    return (
        """ON CONFLICT (order_id) DO UPDATE SET
    tg_id = EXCLUDED.tg_id, cafe_id = EXCLUDED.cafe_id, cafe_name = EXCLUDED.cafe_name,
    date = EXCLUDED.date, combo_id = EXCLUDED.combo_id, combo_name = EXCLUDED.combo_name,
    combo_price = EXCLUDED.combo_price, dishes = EXCLUDED.dishes, extras = EXCLUDED.extras,
    total = EXCLUDED.total, currency = EXCLUDED.currency, note = EXCLUDED.note,
    status = 'placed', reason = NULL, updated_at = EXCLUDED.updated_at,
    editable_until = EXCLUDED.editable_until,
    placed_at = CASE WHEN """
        + placed
        + """ OR o.status <> 'placed'
                     THEN EXCLUDED.placed_at ELSE o.placed_at END
"""
    )


_UPSERT = """
INSERT INTO read.orders AS o (order_id, tg_id, cafe_id, cafe_name, date, combo_id, combo_name,
    combo_price, dishes, extras, total, currency, note, status, reason, placed_at, updated_at,
    editable_until)
VALUES (%(order_id)s, %(tg_id)s, %(cafe_id)s, %(cafe_name)s, %(date)s, %(combo_id)s,
    %(combo_name)s, %(combo_price)s, %(dishes)s, %(extras)s, %(total)s, %(currency)s, %(note)s,
    'placed', NULL, %(at)s, %(at)s, %(editable_until)s)
""" + _conflict("%(placed)s")


# The same upsert for many orders at once (distinct ids), the rows given as JSON (_rows).
_UPSERT_MANY = (
    """
INSERT INTO read.orders AS o (order_id, tg_id, cafe_id, cafe_name, date, combo_id, combo_name,
    combo_price, dishes, extras, total, currency, note, status, reason, placed_at, updated_at,
    editable_until)
SELECT order_id, tg_id, cafe_id, cafe_name, date, combo_id, combo_name, combo_price,
    dishes, extras, total, currency, note, 'placed', NULL, at, at, editable_until
FROM """
    + json_rows(
        "order_id uuid, tg_id bigint, cafe_id uuid, cafe_name text, date date, combo_id uuid,"
        " combo_name text, combo_price bigint, dishes jsonb, extras jsonb, total bigint,"
        " currency text, note text, at timestamptz, editable_until timestamptz"
    )
    + """ AS u
"""
    + _conflict("%s::boolean")
)

# Cancellations of many orders at once (distinct ids), the rows (order_id, at) as JSON.
_CANCEL_MANY = (
    """
UPDATE read.orders o SET status = 'cancelled', updated_at = u.at
FROM """
    + json_rows("order_id uuid, at timestamptz")
    + " AS u WHERE o.order_id = u.order_id"
)


def _contents(event: Upsert) -> dict[str, Any]:
    return {
        "order_id": event.order_id,
        "tg_id": event.tg_id,
        "cafe_id": event.cafe_id,
        "cafe_name": event.cafe_name,
        "date": event.date,
        "combo_id": event.combo_id,
        "combo_name": event.combo_name,
        "combo_price": event.combo_price,
        "dishes": Jsonb(msgspec.to_builtins(event.dishes)),
        "extras": Jsonb(msgspec.to_builtins(event.extras)),
        "total": event.total,
        "currency": event.currency,
        "note": event.note,
        "at": event.at,
        "editable_until": event.editable_until,
        "placed": isinstance(event, e.OrderPlaced),
    }


def apply(cur: Cursor[Any], recorded: e.Recorded) -> None:
    event = recorded.event
    match event:
        case e.OrderPlaced() | e.OrderChanged():
            cur.execute(_UPSERT, _contents(event))
        case e.OrderCancelled():
            cur.execute(
                "UPDATE read.orders SET status = 'cancelled', updated_at = %s WHERE order_id = %s",
                [event.at, event.order_id],
            )
        case e.OrderRejected():
            cur.execute(
                "UPDATE read.orders SET status = 'rejected', reason = %s, updated_at = %s"
                " WHERE order_id = %s",
                [event.reason, event.at, event.order_id],
            )
        case _:
            pass


def _rows(events: Sequence[Upsert]) -> list[tuple[Any, ...]]:
    """The rows of ``_UPSERT_MANY``, in its order of columns."""
    return [
        (
            event.order_id,
            event.tg_id,
            event.cafe_id,
            event.cafe_name,
            event.date,
            event.combo_id,
            event.combo_name,
            event.combo_price,
            event.dishes,
            event.extras,
            event.total,
            event.currency,
            event.note,
            event.at,
            event.editable_until,
        )
        for event in events
    ]


def apply_many(cur: Cursor[Any], batch: Sequence[e.Recorded]) -> None:
    """``apply`` on each event in turn, a few statements per wave of distinct orders."""
    for wave in waves(batch, order_key):
        upsert_wave(cur, _UPSERT_MANY, _rows, wave)
        cancelled = [r.event for r in wave if isinstance(r.event, e.OrderCancelled)]
        if cancelled:
            # Planned afresh each time: a plan cached while the table was small could join
            # it with the rows by scanning all of it once it has grown.
            rows = as_rows((c.order_id, c.at) for c in cancelled)
            cur.execute(_CANCEL_MANY, [rows], prepare=False)
        # Rejections are few: one statement each.
        for recorded in wave:
            if isinstance(recorded.event, e.OrderRejected):
                apply(cur, recorded)


_COPY = f"""COPY read.orders ({CONTENT_COLUMNS}, cafe_name, combo_price, editable_until,
    status, reason, placed_at, updated_at) FROM STDIN"""


def _line(row: Folded) -> str:
    """``row`` as ``_COPY`` reads it."""
    c = row.content
    return (
        f"{content_cells(c)}\t{text(c.cafe_name)}\t{c.combo_price}\t{stamp(c.editable_until)}\t"
        f"{row.status}\t{text(row.reason)}\t{stamp(row.placed_at)}\t{stamp(row.updated_at)}\n"
    )


def loader() -> FreshOrders:
    """A rebuild's loader: new orders' rows by COPY, the other events by ``apply_many``."""
    return FreshOrders(_COPY, _line, apply_many)


projection = Projection(
    name="orders",
    handles=tags(e.OrderPlaced, e.OrderChanged, e.OrderCancelled, e.OrderRejected),
    tables=("read.orders",),
    ddl=DDL,
    apply=apply,
    apply_many=apply_many,
    deferred_indexes=("read.orders_by_employee", "read.orders_by_date"),
    loader=loader,
)
