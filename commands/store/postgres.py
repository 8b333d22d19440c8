"""The event store on PostgreSQL: eventsourcing's recorders and the SQL beside them.

The application recorder locks the events table on insert, so notification ids are
assigned in commit order and a reader asking for "ids after N" never misses a later
commit. Do not enable eventsourcing's database functions: they drop that lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
)
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from commands.store import written_signal
from commands.store.datastore import TimedDatastore, datastore_args
from commands.store.recorders import RecorderEventStore
from domain.events import AnyEvent, Recorded

EVENTS_TABLE = "stored_events"
SNAPSHOTS_TABLE = "snapshots"
POSITIONS_TABLE = "process_positions"
_SETUP_LOCK = 0x6C756E6368_00  # pg_advisory_lock key: one process creates the tables at a time


class PostgresEventStore(RecorderEventStore):
    def __init__(
        self,
        database_url: str,
        *,
        schema: str = "public",
        pool_size: int = 4,
        statement_timeout_ms: int = 5000,
    ) -> None:
        self.database_url = database_url
        self.statement_timeout_ms = statement_timeout_ms
        self.datastore = TimedDatastore(
            **datastore_args(database_url),
            schema=schema,
            pool_size=pool_size,
            max_overflow=pool_size * 2,
            statement_timeout_ms=statement_timeout_ms,
        )
        self.recorder: PostgresApplicationRecorder = PostgresApplicationRecorder(
            self.datastore, events_table_name=EVENTS_TABLE
        )
        self.snapshots: PostgresAggregateRecorder = PostgresAggregateRecorder(
            self.datastore, events_table_name=SNAPSHOTS_TABLE
        )
        super().__init__(self.recorder, self.snapshots)
        self._events_table = Identifier(self.datastore.schema, EVENTS_TABLE)
        self._positions = Identifier(self.datastore.schema, POSITIONS_TABLE)
        # Composed once, not on every decision's prefetch. One primary-key range scan per
        # asked id: as a plain join (or a LATERAL one, which the planner flattens into it;
        # OFFSET 0 keeps it apart), a group's few dozen ids were hash-joined against a
        # sequential scan of the whole table, a cost that grew with the store.
        self._load_many = SQL(
            "SELECT a.id, e.originator_version, e.topic, e.state"
            " FROM unnest(%s::uuid[], %s::bigint[]) AS a(id, after),"
            " LATERAL (SELECT x.originator_version, x.topic, x.state FROM {table} x"
            " WHERE x.originator_id = a.id AND x.originator_version > a.after OFFSET 0) e"
            " ORDER BY a.id, e.originator_version"
        ).format(table=self._events_table)

    def setup(self) -> None:
        """Create the tables and the write signal if absent, one process at a time: the
        api's workers racing in CREATE TABLE IF NOT EXISTS would fail on the catalogue."""
        with self.datastore.get_connection() as lock:
            lock.execute("SELECT pg_advisory_lock(%s)", [_SETUP_LOCK])
            try:
                self.recorder.create_table()
                self.snapshots.create_table()
                statement = SQL(
                    "CREATE TABLE IF NOT EXISTS {table}"
                    " (name text PRIMARY KEY, value bigint NOT NULL)"
                ).format(table=self._positions)
                with self.datastore.get_connection() as conn, conn.cursor() as curs:
                    curs.execute(statement)
                    written_signal.install(curs, self.datastore.schema, EVENTS_TABLE)
            finally:
                lock.execute("SELECT pg_advisory_unlock(%s)", [_SETUP_LOCK])

    def close(self) -> None:
        self.datastore.close()

    def load_many(
        self, originator_ids: Sequence[uuid.UUID], *, after: Mapping[uuid.UUID, int] = {}
    ) -> dict[uuid.UUID, list[tuple[int, AnyEvent]]]:
        """Several aggregates' events in one round trip (a join with the asked ids)."""
        if not originator_ids:
            return {}
        ids = list(dict.fromkeys(originator_ids))
        params = (ids, [after.get(oid, 0) for oid in ids])
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(self._load_many, params, prepare=True)
            rows = curs.fetchall()
        decode = self.mapper.decode
        found: dict[uuid.UUID, list[tuple[int, AnyEvent]]] = {}
        for oid, version, topic, state in rows:
            found.setdefault(oid, []).append((version, decode(topic, state)))
        return found

    def read(self, after: int, limit: int, *, topics: Sequence[str] = ()) -> list[Recorded]:
        """Notifications with id > ``after``, ascending, at most ``limit``."""
        # Plain tuples straight into Recorded: a rebuild reads the whole log through here.
        params: list[Any] = [after]
        where = SQL("notification_id > %s")
        if topics:
            where = SQL("notification_id > %s AND topic = ANY(%s)")
            params.append(list(topics))
        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            " FROM {table} WHERE {where} ORDER BY notification_id LIMIT %s"
        ).format(table=self._events_table, where=where)
        params.append(limit)
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(statement, params, prepare=True)
            rows = curs.fetchall()
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

    def of_type(self, originator_id: uuid.UUID, topic: str) -> list[Recorded]:
        """One aggregate's events of one type, with their notification ids."""
        statement = SQL(
            "SELECT notification_id, originator_version, state FROM {table} "
            "WHERE originator_id = %s AND topic = %s ORDER BY originator_version"
        ).format(table=self._events_table)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, (originator_id, topic))
            rows = curs.fetchall()
        return [
            Recorded(
                notification_id=row["notification_id"],
                originator_id=originator_id,
                originator_version=row["originator_version"],
                event=self.mapper.decode(topic, bytes(row["state"])),
            )
            for row in rows
        ]

    def position(self, name: str) -> int:
        """A write-side process's tracked notification id (0 before its first step)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL("SELECT value FROM {table} WHERE name = %s").format(table=self._positions),
                (name,),
            )
            row = curs.fetchone()
        return int(row["value"]) if row else 0

    def set_position(self, name: str, value: int) -> None:
        statement = SQL(
            "INSERT INTO {table} (name, value) VALUES (%s, %s) "
            "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value"
        ).format(table=self._positions)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, (name, value))
