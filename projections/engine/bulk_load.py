"""How a rebuild fills the tables it emptied: fast, and safe to stop at any point.

- Deferred indexes: a projection names the secondary indexes none of its own statements
  look rows up through (``Projection.deferred_indexes``). They are dropped with the
  emptied tables and built once at the end, from the projection's DDL, by one sort each
  instead of an index insertion per row. They are built again even when the rebuild
  fails; if the process dies meanwhile, the next ``setup`` (projector start or rebuild)
  creates them, as its DDL says ``IF NOT EXISTS``.
- Commits not waited on: the rebuild's many batch commits do not wait for their WAL to
  reach the disk (``synchronous_commit = off``, for this session only). A crash can lose
  the last batches, each whole (rows and tracking together), never half of one; the final
  commit, which builds the indexes, waits as usual, and so makes every batch before it
  durable before the rebuild reports success.
- Statistics: the tables are analyzed at the end (but for their JSON columns), so the live
  model's queries are planned for the tables as they now are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from psycopg import Connection, sql

from projections.engine.base import Projection


def drop_deferred_indexes(conn: Connection[Any], projections: Sequence[Projection]) -> None:
    """Drop the projections' deferred indexes, inside the caller's transaction."""
    for projection in projections:
        for index in projection.deferred_indexes:
            conn.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(sql.SQL(index)))


def finish(conn: Connection[Any], projections: Sequence[Projection]) -> None:
    """Build the dropped indexes again (the projections' DDL) and analyze the tables, in one
    transaction; run after ``unwaited_commits``, its commit waits for the WAL, so every batch
    committed before it is durable once it returns."""
    with conn.transaction():
        for projection in projections:
            if projection.deferred_indexes:
                for statement in projection.ddl:
                    conn.execute(statement)
        for table in (table for p in projections for table in p.tables):
            if columns := _plain_columns(conn, table):
                names = sql.SQL(", ").join(map(sql.Identifier, columns))
                conn.execute(sql.SQL("ANALYZE {} ({})").format(sql.SQL(table), names))


def _plain_columns(conn: Connection[Any], table: str) -> list[str]:
    """The columns of ``table`` but its JSON ones: no query filters on those, and sorting
    their values would take most of ANALYZE's time."""
    rows = conn.execute(
        """SELECT attname FROM pg_attribute
           WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped
             AND atttypid NOT IN ('json'::regtype, 'jsonb'::regtype)
           ORDER BY attnum""",
        [table],
    ).fetchall()
    return [str(name) for (name,) in rows]


@contextmanager
def unwaited_commits(conn: Connection[Any]) -> Iterator[None]:
    """``synchronous_commit = off`` for this session meanwhile (it goes back to the pool)."""
    conn.execute("SET synchronous_commit = off")
    conn.commit()
    try:
        yield
    finally:
        conn.rollback()
        conn.execute("RESET synchronous_commit")
        conn.commit()
