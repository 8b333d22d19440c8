"""The notifier's own rows in PostgreSQL: its Kafka positions (the table the projector and
the relay share), a ledger of one-off notices, employees who started the bot, and the
reminders already sent. Ledger rows are keyed by what caused them, so nothing repeats."""

from __future__ import annotations

import datetime as dt
from typing import Any

from psycopg_pool import ConnectionPool

DDL = (
    """CREATE TABLE IF NOT EXISTS consumer_offsets (
        group_id text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        notification_id bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, topic, partition))""",
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
            for statement in DDL:
                conn.execute(statement)

    # --- Kafka positions -----------------------------------------------------------------

    def positions(self, group: str, topic: str) -> dict[int, int]:
        """partition -> next offset to read."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT partition, next_offset FROM consumer_offsets"
                " WHERE group_id = %s AND topic = %s",
                [group, topic],
            ).fetchall()
        return {int(r[0]): int(r[1]) for r in rows}

    def position_nids(self, group: str, topic: str) -> dict[int, int]:
        """partition -> notification id of the last handled message."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT partition, notification_id FROM consumer_offsets"
                " WHERE group_id = %s AND topic = %s",
                [group, topic],
            ).fetchall()
        return {int(r[0]): int(r[1]) for r in rows}

    def save_positions(self, group: str, topic: str, handled: dict[int, tuple[int, int]]) -> None:
        """partition -> (next offset, notification id of the last handled message)."""
        with self.pool.connection() as conn, conn.transaction():
            for partition, (next_offset, nid) in handled.items():
                conn.execute(
                    """INSERT INTO consumer_offsets (group_id, topic, partition, next_offset,
                           notification_id, updated_at) VALUES (%s, %s, %s, %s, %s, now())
                       ON CONFLICT (group_id, topic, partition) DO UPDATE SET
                           next_offset = EXCLUDED.next_offset,
                           notification_id = EXCLUDED.notification_id, updated_at = now()""",
                    [group, topic, partition, next_offset, nid],
                )

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
