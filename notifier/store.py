"""The notifier's own rows in PostgreSQL: a ledger of one-off notices, employees who
started the bot, and the reminders already sent. Ledger rows are keyed by what caused
them, so nothing repeats. Its Kafka positions are in the shared ``consumer_offsets``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from psycopg_pool import ConnectionPool

from projections.engine import offsets

DDL = (
    offsets.TABLE_DDL,
    "CREATE SCHEMA IF NOT EXISTS notifier",
    """CREATE TABLE IF NOT EXISTS notifier.notices (
        cause text PRIMARY KEY,
        chat_id bigint NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE IF NOT EXISTS notifier.subscribers (
        tg_id bigint PRIMARY KEY,
        chat_id bigint NOT NULL,
        reminders boolean NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE IF NOT EXISTS notifier.reminders (
        tg_id bigint NOT NULL,
        date date NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tg_id, date))""",
)

# Who to remind for a date: started the bot with reminders on, ordered in the last weeks,
# has no placed order for that date, and was not reminded for it yet.
_DUE = """
SELECT s.tg_id, s.chat_id FROM notifier.subscribers s
WHERE s.reminders
  AND EXISTS (SELECT 1 FROM read.orders o WHERE o.tg_id = s.tg_id
              AND o.date BETWEEN %(since)s AND %(date)s)
  AND NOT EXISTS (SELECT 1 FROM read.orders o WHERE o.tg_id = s.tg_id
                  AND o.date = %(date)s AND o.status = 'placed')
  AND NOT EXISTS (SELECT 1 FROM notifier.reminders r WHERE r.tg_id = s.tg_id
                  AND r.date = %(date)s)
ORDER BY s.tg_id
"""


class NotifierStore:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def setup(self) -> None:
        with self.pool.connection() as conn, conn.transaction():
            # Concurrent CREATE ... IF NOT EXISTS can still collide in the catalogue.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [offsets.SETUP_LOCK])
            for statement in DDL:
                conn.execute(statement)

    # --- one-off notices (test message on approval, rejection) ---------------------------

    def noticed(self, cause: str) -> bool:
        with self.pool.connection() as conn:
            row = conn.execute("SELECT 1 FROM notifier.notices WHERE cause = %s", [cause])
            return row.fetchone() is not None

    def record_notice(self, cause: str, chat_id: int) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO notifier.notices (cause, chat_id) VALUES (%s, %s)"
                " ON CONFLICT (cause) DO NOTHING",
                [cause, chat_id],
            )

    # --- reminders -----------------------------------------------------------------------

    def subscribe(self, tg_id: int, chat_id: int, *, reminders: bool) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                """INSERT INTO notifier.subscribers (tg_id, chat_id, reminders)
                   VALUES (%s, %s, %s) ON CONFLICT (tg_id) DO UPDATE SET
                   chat_id = EXCLUDED.chat_id, reminders = EXCLUDED.reminders""",
                [tg_id, chat_id, reminders],
            )

    def due_reminders(self, date: dt.date, since: dt.date) -> list[tuple[int, int]]:
        """(tg_id, chat_id) of the employees to remind about ``date``."""
        with self.pool.connection() as conn:
            rows: list[Any] = conn.execute(_DUE, {"date": date, "since": since}).fetchall()
        return [(int(r[0]), int(r[1])) for r in rows]

    def claim_reminder(self, tg_id: int, date: dt.date) -> bool:
        """Note the reminder before sending it: True once per employee and date, ever."""
        with self.pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO notifier.reminders (tg_id, date) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING RETURNING tg_id",
                [tg_id, date],
            ).fetchone()
        return row is not None
