"""A signal on every write to the event store: ``NOTIFY lunch_events`` at commit.

A trigger on the events table notifies the channel once per inserting statement; PostgreSQL
delivers it when the transaction commits, and folds a transaction's identical notifications
into one. The relay listens and reads the store when told, instead of polling it every few
milliseconds while the office is idle (``projections.engine.relay_wakeup``).
"""

from __future__ import annotations

from typing import Any

from psycopg.sql import SQL, Identifier

CHANNEL = "lunch_events"

_FUNCTION = """CREATE OR REPLACE FUNCTION {schema}.lunch_events_written() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lunch_events', '');
    RETURN NULL;
END $$"""

_TRIGGER = """CREATE OR REPLACE TRIGGER lunch_events_written
AFTER INSERT ON {table} FOR EACH STATEMENT
EXECUTE FUNCTION {schema}.lunch_events_written()"""


def install(cursor: Any, schema: str, table: str) -> None:
    """Create (or replace) the trigger on ``schema.table``; idempotent."""
    names = {"schema": Identifier(schema), "table": Identifier(schema, table)}
    cursor.execute(SQL(_FUNCTION).format(**names))
    cursor.execute(SQL(_TRIGGER).format(**names))
