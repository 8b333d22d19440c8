"""Orders: one row per order as the employee sees it (my orders, orders of a day)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import msgspec
from psycopg import Cursor
from psycopg.types.json import Jsonb

from domain import events as e
from projections.engine.base import Projection, tags, waves
from projections.models.copy_text import CONTENT_COLUMNS, content_cells, stamp, text
from projections.models.order_folds import Folded, FreshOrders
from projections.models.order_statements import CANCEL_MANY, UPSERT, UPSERT_MANY
from projections.models.order_waves import Upsert, as_rows, order_key, upsert_wave

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
        editable_until timestamptz,
        notification_id bigint NOT NULL DEFAULT 0)""",
    # The event that last changed the row: which employees' orders changed since the
    # projection's positions of a moment before (api.orders_cache). Rows older than the
    # column keep 0, as if changed before any position (so the audit does not compare it).
    "ALTER TABLE read.orders ADD COLUMN IF NOT EXISTS notification_id bigint NOT NULL DEFAULT 0",
    "CREATE INDEX IF NOT EXISTS orders_by_employee ON read.orders (tg_id, date)",
    "CREATE INDEX IF NOT EXISTS orders_by_date ON read.orders (date, cafe_id)",
    "CREATE INDEX IF NOT EXISTS orders_by_change ON read.orders (cafe_id, notification_id)",
)


def _contents(event: Upsert, notification_id: int) -> dict[str, Any]:
    return {
        "notification_id": notification_id,
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
            cur.execute(UPSERT, _contents(event, recorded.notification_id))
        case e.OrderCancelled():
            cur.execute(
                "UPDATE read.orders SET status = 'cancelled', updated_at = %s,"
                " notification_id = %s WHERE order_id = %s",
                [event.at, recorded.notification_id, event.order_id],
            )
        case e.OrderRejected():
            cur.execute(
                "UPDATE read.orders SET status = 'rejected', reason = %s, updated_at = %s,"
                " notification_id = %s WHERE order_id = %s",
                [event.reason, event.at, recorded.notification_id, event.order_id],
            )
        case _:
            pass


def _rows(upserts: Sequence[e.Recorded]) -> list[tuple[Any, ...]]:
    """The rows of ``UPSERT_MANY``, in its order of columns."""
    return [
        (
            (event := cast(Upsert, recorded.event)).order_id,
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
            recorded.notification_id,
        )
        for recorded in upserts
    ]


def apply_many(cur: Cursor[Any], batch: Sequence[e.Recorded]) -> None:
    """``apply`` on each event in turn, a few statements per wave of distinct orders."""
    for wave in waves(batch, order_key):
        upsert_wave(cur, UPSERT_MANY, _rows, wave)
        cancelled = [
            (r.event.order_id, r.event.at, r.notification_id)
            for r in wave
            if isinstance(r.event, e.OrderCancelled)
        ]
        if cancelled:
            # Planned afresh each time: a plan cached while the table was small could join
            # it with the rows by scanning all of it once it has grown.
            rows = as_rows(cancelled)
            cur.execute(CANCEL_MANY, [rows], prepare=False)
        # Rejections are few: one statement each.
        for recorded in wave:
            if isinstance(recorded.event, e.OrderRejected):
                apply(cur, recorded)


_COPY = f"""COPY read.orders ({CONTENT_COLUMNS}, cafe_name, combo_price, editable_until,
    status, reason, placed_at, updated_at, notification_id) FROM STDIN"""


def _line(row: Folded) -> str:
    """``row`` as ``_COPY`` reads it."""
    c = row.content
    return (
        f"{content_cells(c)}\t{text(c.cafe_name)}\t{c.combo_price}\t{stamp(c.editable_until)}\t"
        f"{row.status}\t{text(row.reason)}\t{stamp(row.placed_at)}\t{stamp(row.updated_at)}\t"
        f"{row.notification_id}\n"
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
    deferred_indexes=("read.orders_by_employee", "read.orders_by_date", "read.orders_by_change"),
    loader=loader,
    unverified=("notification_id",),
)
