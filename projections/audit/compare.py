"""Compare one table of the live read model (copied) with its replay, row by row.

Rows are matched by the table's primary key; a row on one side only, or a row whose
columns differ, is one mismatch naming the key and the differing fields.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from psycopg import Connection, sql
from psycopg.rows import dict_row

from projections.audit.views import Mismatch

MAX_ROWS = 50

_KEY = """SELECT a.attname FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)"""
_COLUMNS = """SELECT column_name FROM information_schema.columns
WHERE table_schema = %s AND table_name = %s AND column_name <> ALL(%s)
ORDER BY ordinal_position"""


def _only_in(
    conn: Connection[Any], columns: list[str], first: sql.Composable, second: sql.Composable
) -> list[dict[str, Any]]:
    listed = sql.SQL(", ").join(map(sql.Identifier, columns))
    query = sql.SQL("(SELECT {c} FROM {a} EXCEPT ALL SELECT {c} FROM {b}) LIMIT {n}").format(
        c=listed, a=first, b=second, n=sql.Literal(MAX_ROWS)
    )
    return conn.cursor(row_factory=dict_row).execute(query).fetchall()


def compare_table(
    conn: Connection[Any],
    projection: str,
    table: str,
    live: str,
    replay: str,
    skip: Sequence[str] = (),
) -> Iterator[Mismatch]:
    """Mismatches between ``live.table`` and ``replay.table`` (at most MAX_ROWS a side),
    over every column but ``skip``."""
    columns = [r[0] for r in conn.execute(_COLUMNS, [replay, table, list(skip)]).fetchall()]
    replayed = sql.Identifier(replay, table)
    key = [r[0] for r in conn.execute(_KEY, [replayed.as_string(conn)]).fetchall()] or columns
    live_rows = _only_in(conn, columns, sql.Identifier(live, table), replayed)
    replay_rows = _only_in(conn, columns, replayed, sql.Identifier(live, table))
    replayed_by_key = {tuple(str(r[k]) for k in key): r for r in replay_rows}
    for row in live_rows:
        ident = tuple(str(row[k]) for k in key)
        other = replayed_by_key.pop(ident, None)
        where = {k: str(row[k]) for k in key}
        if other is None:
            detail = "the live read model has a row the replay does not"
            yield Mismatch(kind="read_model", detail=detail, projection=projection,
                           table=table, key=where)  # fmt: skip
            continue
        fields = tuple(c for c in columns if row[c] != other[c])
        yield Mismatch(kind="read_model", detail="the row differs from the replay",
                       projection=projection, table=table, key=where, fields=fields)  # fmt: skip
    for row in replayed_by_key.values():
        where = {k: str(row[k]) for k in key}
        yield Mismatch(kind="read_model", detail="the live read model lacks this row",
                       projection=projection, table=table, key=where)  # fmt: skip
