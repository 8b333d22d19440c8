"""An order, or a cafe-day sheet, as it stood at a moment: the projections' own apply run
over the given events stamped at or before that moment, into temporary tables (dropped
with the transaction), and read back with the same queries as the live read models.

The caller passes only the events that matter (the order's stream; the cafe-day's events
from the audit index), so the cost grows with that order or cafe-day, not with the store.
The live read models are neither read nor locked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import msgspec
from psycopg import Connection
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from domain.events import Recorded
from projections import orders
from projections.redirect import redirected
from projections.reports import cafe_day_sheet
from projections.sheets import TABLES, sheet_projection
from projections.views import CafeDaySheet, OrderView

_SHEETS = sheet_projection("pg_temp")
_ORDER = """SELECT order_id AS id, tg_id, cafe_id, cafe_name, date, combo_id, combo_name, dishes,
    extras, total, currency, note, status, placed_at, updated_at, editable_until
    FROM pg_temp.orders WHERE order_id = %s"""


def _until(events: Sequence[Recorded], as_of: dt.datetime) -> list[Recorded]:
    if as_of.tzinfo is None:
        raise ValueError("as_of must carry a timezone")
    return [r for r in events if r.event.at <= as_of]


def _temp_copy(conn: Connection[Any], table: str, like: str) -> None:
    conn.execute(f"CREATE TEMP TABLE {table} ({like}) ON COMMIT DROP")


def order_as_of(
    pool: ConnectionPool, order_id: uuid.UUID, events: Sequence[Recorded], as_of: dt.datetime
) -> OrderView | None:
    """The order from its stream's events up to ``as_of``; None if it did not exist yet."""
    chosen = _until(events, as_of)
    if not chosen:
        return None
    with pool.connection() as conn, conn.transaction(force_rollback=True):
        # The primary key only: the upsert needs it, the read model's other indexes not.
        _temp_copy(conn, "orders", "LIKE read.orders INCLUDING DEFAULTS, PRIMARY KEY (order_id)")
        with redirected(conn, "pg_temp"), conn.pipeline():
            cur = conn.cursor()
            for recorded in chosen:
                orders.projection.apply(cur, recorded)
        row = conn.cursor(row_factory=dict_row).execute(_ORDER, [order_id]).fetchone()
    return None if row is None else msgspec.convert(row, OrderView)


def cafe_day_as_of(
    pool: ConnectionPool,
    cafe_id: uuid.UUID,
    date: dt.date,
    as_of: dt.datetime,
    events: Sequence[Recorded],
) -> CafeDaySheet | None:
    """The cafe-day's sheet from its events (``AuditLog.cafe_day``) up to ``as_of``."""
    chosen = _until(events, as_of)
    with pool.connection() as conn, conn.transaction(force_rollback=True):
        for table in TABLES:
            _temp_copy(conn, table, f"LIKE read.{table} INCLUDING ALL")
        with conn.pipeline():
            cur = conn.cursor()
            for recorded in chosen:
                _SHEETS.apply(cur, recorded)
        return cafe_day_sheet(conn, cafe_id, date, as_of=as_of, schema="pg_temp")
