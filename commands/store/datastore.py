"""The PostgreSQL datastore of the event store: its connection arguments from a URL, and a
statement timeout on every connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from eventsourcing.postgres import PostgresDatastore
from psycopg import Connection
from psycopg.sql import SQL


class TimedDatastore(PostgresDatastore):
    """Adds a statement timeout, which bounds how long an order command can take."""

    def __init__(self, *args: Any, statement_timeout_ms: int, **kwargs: Any) -> None:
        self.statement_timeout_ms = statement_timeout_ms
        super().__init__(*args, **kwargs)

    def after_connect_func(self) -> Callable[[Connection[Any]], None]:
        base = super().after_connect_func()
        timeout = SQL("SET statement_timeout = {0}").format(self.statement_timeout_ms)

        def after_connect(conn: Connection[Any]) -> None:
            base(conn)
            conn.cursor().execute(timeout)

        return after_connect


def datastore_args(database_url: str) -> dict[str, Any]:
    """PostgresDatastore's connection arguments from a ``postgresql://`` URL."""
    parts = urlsplit(database_url)
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    host = unquote(query.get("host") or parts.hostname or "127.0.0.1")
    return {
        "dbname": unquote(parts.path.lstrip("/")) or "postgres",
        "host": host,
        "port": parts.port or int(query.get("port", 5432)),
        "user": unquote(parts.username or query.get("user", "postgres")),
        "password": unquote(parts.password or ""),
    }
