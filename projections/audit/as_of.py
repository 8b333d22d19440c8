"""An order, or a cafe-day sheet, as it stood at a moment: the projections' own apply run
over the given events stamped at or before that moment, into temporary tables (dropped
with the transaction), and read back with the same queries as the live read models.

The caller passes only the events that matter (the order's stream; the cafe-day's events
from the audit index), so the cost grows with that order or cafe-day, not with the store.
The live read models are neither read nor locked.

Creating the temporary tables would cost more than the fold itself, so each pooled
connection creates them once and keeps them for its session; every fold writes them in a
transaction that is rolled back, so they are always empty between folds.
"""

from __future__ import annotations

import datetime as dt
import uuid
import weakref
from collections.abc import Sequence
from typing import Any, Protocol

import msgspec
from psycopg import Connection, Cursor, sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from domain.events import Recorded, event_type
from projections.engine.redirect import redirected
from projections.models import orders
from projections.models.sheets import TABLES, sheet_projection
from projections.reads.reports import cafe_day_sheet
from projections.reads.results import CafeDaySheet, OrderView

_SHEETS = sheet_projection("pg_temp")
_ORDER = """SELECT order_id AS id, tg_id, cafe_id, cafe_name, date, combo_id, combo_name, dishes,
    extras, total, currency, note, status, placed_at, updated_at, editable_until
    FROM pg_temp.orders WHERE order_id = %s"""


def _until(events: Sequence[Recorded], as_of: dt.datetime) -> list[Recorded]:
    if as_of.tzinfo is None:
        raise ValueError("as_of must carry a timezone")
    return [r for r in events if r.event.at <= as_of]


# The pooled connections that already hold the session's temporary tables.
_PREPARED: weakref.WeakSet[Connection[Any]] = weakref.WeakSet()
_TEMP_TABLES = (
    "orders (LIKE read.orders INCLUDING DEFAULTS, PRIMARY KEY (order_id))",
    *(f"{table} (LIKE read.{table} INCLUDING ALL)" for table in TABLES),
)


def _temp_tables(conn: Connection[Any]) -> None:
    """The session's empty temporary copies of the tables a fold writes."""
    if conn in _PREPARED:
        return
    with conn.transaction():
        for definition in _TEMP_TABLES:
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {definition}")
        # They hold one order or one cafe-day: the primary keys (which the upserts need)
        # are all the indexes worth updating on each write.
        secondary = conn.execute(
            "SELECT indexrelid::regclass::text FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary",
            [[f"pg_temp.{table}" for table in TABLES]],
        ).fetchall()
        for (index,) in secondary:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(*index.split("."))))
    _PREPARED.add(conn)


def order_as_of(
    pool: ConnectionPool, order_id: uuid.UUID, events: Sequence[Recorded], as_of: dt.datetime
) -> OrderView | None:
    """The order from its stream's events up to ``as_of``; None if it did not exist yet."""
    chosen = _until(events, as_of)
    if not chosen:
        return None
    with pool.connection() as conn:
        _temp_tables(conn)
        with conn.transaction(force_rollback=True), redirected(conn, "pg_temp"), conn.pipeline():
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
    with pool.connection() as conn:
        _temp_tables(conn)
        with conn.transaction(force_rollback=True), conn.pipeline():
            _fold_sheets(conn.cursor(), chosen)
            return cafe_day_sheet(conn, cafe_id, date, as_of=as_of, schema="pg_temp")


class CafeDayEvents(Protocol):
    """Where a cafe-day's events come from (``commands.audit.log.AuditLog``)."""

    def cafe_day(self, cafe_id: uuid.UUID, date: dt.date) -> Sequence[Recorded]: ...


def cafe_day_report_as_of(
    pool: ConnectionPool,
    source: CafeDayEvents,
    cafe_id: uuid.UUID,
    date: dt.date,
    as_of: dt.datetime,
) -> CafeDaySheet | None:
    """The cafe-day report as it stood at ``as_of``, from that cafe-day's events only: what
    the API's ``/reports/cafe-day?as_of=`` and ``lunch audit report`` both serve. None if
    the cafe did not exist then."""
    if as_of.tzinfo is None:
        raise ValueError("as_of must carry a timezone")
    return cafe_day_as_of(pool, cafe_id, date, as_of, source.cafe_day(cafe_id, date))


def _fold_sheets(cur: Cursor[Any], chosen: Sequence[Recorded]) -> None:
    """The sheets projection over ``chosen``: its set-based batch path where it has one (a
    few statements per wave of distinct orders), else one statement per event."""
    handled = [r for r in chosen if event_type(r.event) in _SHEETS.handles]
    if _SHEETS.apply_many is not None:
        _SHEETS.apply_many(cur, handled)
        return
    for recorded in handled:
        _SHEETS.apply(cur, recorded)
