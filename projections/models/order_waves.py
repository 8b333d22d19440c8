"""Order placements and changes as set upserts, one wave of distinct orders at a time.

The orders and sheets projections both apply a batch this way: ``waves`` keeps each
order's events in order and puts at most one event per order in a wave, so one statement
per kind (placed, changed) writes a whole wave.

A wave's rows go to PostgreSQL as one JSON array of arrays (``as_rows``), which the
statement unpacks with ``json_rows``: msgspec writes it in one call, where arrays per
column cost psycopg a Python call per value. Arrays, not objects: PostgreSQL reads them
about twice as fast, having no keys to sort.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import msgspec
from psycopg import Cursor

from domain import events as e

Upsert = e.OrderPlaced | e.OrderChanged
Rows = Callable[[Sequence[e.Recorded]], Iterable[tuple[Any, ...]]]

_encode = msgspec.json.Encoder().encode


def order_key(recorded: e.Recorded) -> Hashable:
    """The order an order event belongs to: the key its waves are cut by."""
    event = recorded.event
    assert isinstance(event, e.OrderEvent)
    return event.order_id


def as_rows(rows: Iterable[tuple[Any, ...]]) -> str:
    """Rows as one JSON array of arrays, the parameter of a ``json_rows`` subquery: uuids,
    dates and times as ISO text, structs as objects, None as null."""
    return _encode(list(rows)).decode()


def json_rows(columns: str) -> str:
    """A subquery over the rows of a ``%s`` parameter made by ``as_rows``: ``columns``
    ("name type, ...") names each place of a row and the type it is read as; ``jsonb``
    columns are taken as they are, the others from their text."""
    fields = []
    for place, column in enumerate(columns.split(",")):
        name, kind = column.split()
        value = f"r->{place}" if kind == "jsonb" else f"(r->>{place})::{kind}"
        fields.append(f"{value} AS {name}")
    source = "FROM jsonb_array_elements(%s::jsonb) AS r"
    return f"(SELECT {', '.join(fields)} {source})"


def placed_at_rule(placed: str) -> str:
    """The ``SET`` item for ``placed_at`` when a placement or a change meets an existing
    row: a placement, or any event on a row no longer placed, starts it again; a change of a
    placed order keeps it. ``placed`` is the SQL saying whether the event is a placement."""
    return f"""placed_at = CASE WHEN {placed} OR o.status <> 'placed'
                     THEN EXCLUDED.placed_at ELSE o.placed_at END
"""


def upsert_wave(cur: Cursor[Any], statement: str, rows: Rows, wave: Sequence[e.Recorded]) -> None:
    """``statement`` once for the wave's placements and once for its changes, each with
    ``rows`` of those recorded events (``as_rows``) and, last, whether they are placements."""
    placed = [r for r in wave if isinstance(r.event, e.OrderPlaced)]
    changed = [r for r in wave if isinstance(r.event, e.OrderChanged)]
    for upserts, is_placed in ((placed, True), (changed, False)):
        if upserts:
            cur.execute(statement, [as_rows(rows(upserts)), is_placed])
