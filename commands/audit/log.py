"""Reads of the event store for auditors: one order's stream, one cafe-day's events through
the ``audit_cafe_days`` index, the log in order; and (``commands.audit.sealed``) the events
with their seals in the hash chain, for verify and the export.

Each read touches only the rows it names (an order's stream, a cafe-day's index rows,
the ordering employees' streams), so its cost grows with what it returns, not with the
store. Events are decoded with the store's own mapper (upcasters included).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier, Literal
from psycopg_pool import ConnectionPool

from commands.audit import schema as audit_schema
from commands.audit.sealed import SealedReads
from commands.mapper import MsgspecMapper
from commands.store.postgres import EVENTS_TABLE
from domain.events import Recorded
from domain.ids import employee_id

# What a cafe-day sheet shows of the people who ordered: names, offices, limits.
PEOPLE_TOPICS = ("Employee.Registered", "Employee.Updated", "Employee.MonthlyLimitSet")
PROFILE_TOPICS = ("Cafe.Registered", "Cafe.Renamed")
_COLUMNS = "e.notification_id, e.originator_id, e.originator_version, e.topic, e.state"
_READ = "SELECT {columns} FROM {events} e WHERE e.notification_id > %s ORDER BY 1 LIMIT %s"
_STREAM = "SELECT {columns} FROM {events} e WHERE e.originator_id = %s ORDER BY 3"
_CAFE_DAY = """SELECT {columns} FROM {days} d
    JOIN {events} e ON e.notification_id = d.notification_id
    WHERE d.cafe_id = %s AND d.date = %s
UNION ALL
SELECT {columns} FROM {events} e WHERE e.originator_id = %s AND e.topic IN ({profiles})"""
# The topics are literals, so the plan can use the small partial indexes on them
# (commands.audit.schema), and each person is one lookup there: with "originator_id =
# ANY(...)" the planner may estimate a large share of the table and scan all of it.
_PEOPLE = """SELECT {columns} FROM unnest(%s::uuid[]) AS p(id), LATERAL (SELECT * FROM {events} x
    WHERE x.originator_id = p.id AND x.topic IN ({people}) OFFSET 0) e"""


def install_audit(database_url: str, *, schema: str = "public") -> None:
    """Install the audit's tables and triggers beside the event store (idempotent), so the
    chain and the cafe-day index are kept from the first event a process writes."""
    with psycopg.connect(database_url) as conn:
        audit_schema.install(conn, schema, EVENTS_TABLE)


class AuditLog(SealedReads):
    """The audit's reads over the event store's PostgreSQL tables (its own small pool); the
    chain's reads (``head``, ``sealed``, ``between``) come from ``SealedReads``."""

    def __init__(self, database_url: str, *, schema: str = "public", max_size: int = 4) -> None:
        self.schema = schema
        self.pool = ConnectionPool(database_url, min_size=0, max_size=max_size, open=True)
        self.mapper = MsgspecMapper()
        self._installed = False
        self._install_lock = threading.Lock()
        self._sql = {
            "events": Identifier(schema, EVENTS_TABLE),
            "chain": Identifier(schema, audit_schema.CHAIN_TABLE),
            "days": Identifier(schema, audit_schema.DAYS_TABLE),
            "columns": SQL(_COLUMNS),
            "people": SQL(", ").join(map(Literal, PEOPLE_TOPICS)),
            "profiles": SQL(", ").join(map(Literal, PROFILE_TOPICS)),
        }

    def close(self) -> None:
        self.pool.close()

    def install(self) -> None:
        """The audit's tables and triggers (idempotent; see commands.audit.schema)."""
        with self.pool.connection() as conn:
            audit_schema.install(conn, self.schema, EVENTS_TABLE)

    def ready(self) -> AuditLog:
        """This log, its tables and triggers installed (once per instance)."""
        with self._install_lock:
            if not self._installed:
                self.install()
                self._installed = True
        return self

    def _rows(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self.pool.connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(SQL(query).format(**self._sql), params, prepare=True)
            return cur.fetchall()

    def _decoded(self, rows: Sequence[tuple[Any, ...]]) -> list[Recorded]:
        decode = self.mapper.decode
        return [
            Recorded(
                notification_id=nid,
                originator_id=oid,
                originator_version=version,
                event=decode(topic, state),
            )
            for nid, oid, version, topic, state in rows
        ]

    def stream(self, originator_id: uuid.UUID) -> list[Recorded]:
        """One aggregate's events, oldest first (an order's whole history)."""
        return self._decoded(self._rows(_STREAM, [originator_id]))

    def cafe_day(self, cafe_id: uuid.UUID, date: dt.date) -> list[Recorded]:
        """Every event a cafe-day sheet is made of, in log order: the cafe's profile, the
        day's order, closure and dispatch events, and the profiles of who ordered."""
        day = self._rows(_CAFE_DAY, [cafe_id, date, cafe_id])
        events = self._decoded(day)
        people = sorted({tg for r in events if (tg := getattr(r.event, "tg_id", None)) is not None})
        if people:
            ids = [employee_id(tg) for tg in people]
            rows = self._rows(_PEOPLE, [ids])
            events += self._decoded(rows)
        return sorted(events, key=lambda r: r.notification_id)

    def read(self, after: int, limit: int) -> list[Recorded]:
        """Events with notification id > ``after``, ascending, at most ``limit``."""
        return self._decoded(self._rows(_READ, [after, limit]))
