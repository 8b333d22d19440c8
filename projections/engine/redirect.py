"""Run a projection's own statements against other tables: ``read.x`` becomes ``<schema>.x``.

The projections write to the ``read`` schema by name. The audit replays them elsewhere (a
temporary table for an order as of a moment, a scratch schema for verification) through
exactly the same code, by giving the connection a cursor class that rewrites the schema
of every statement it sends.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from psycopg import Connection, Cursor, sql

_READ = re.compile(r'(?<![\w".])(?:read|"read")\.(?=[\w"])')
# Anything that still looks like the read schema after the rewrite: refused, never sent to
# the live tables.
_LEFT = re.compile(r'(?<![\w.])"?read"?\s*\.')


# A projection sends a handful of distinct statements, many thousand times in a replay.
@functools.lru_cache(maxsize=1024)
def rewrite(query: str, schema: str) -> str:
    """``query`` with every table of the ``read`` schema moved to ``schema``."""
    moved = _READ.sub(f'"{schema}".', query)
    if _LEFT.search(moved):
        raise ValueError(f"cannot move every read table of: {query}")
    return moved


def _cursor_class(schema: str) -> type[Cursor[Any]]:
    class Redirected(Cursor[Any]):
        def _moved(self, query: Any) -> Any:
            if isinstance(query, sql.Composable):
                query = query.as_string(self.connection)
            if isinstance(query, bytes):
                return rewrite(query.decode(), schema).encode()
            return rewrite(query, schema)

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            return super().execute(self._moved(query), params, **kwargs)

        def executemany(self, query: Any, params_seq: Iterable[Any], **kwargs: Any) -> None:
            super().executemany(self._moved(query), params_seq, **kwargs)

    return Redirected


@contextmanager
def redirected(conn: Connection[Any], schema: str) -> Iterator[Connection[Any]]:
    """Meanwhile, cursors of ``conn`` send ``read.*`` statements to ``schema`` instead."""
    before = conn.cursor_factory
    conn.cursor_factory = _cursor_class(schema)
    try:
        yield conn
    finally:
        conn.cursor_factory = before
