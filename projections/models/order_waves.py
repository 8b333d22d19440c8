"""Order placements and changes as set upserts, one wave of distinct orders at a time.

The orders and sheets projections both apply a batch this way: ``waves`` keeps each
order's events in order and puts at most one event per order in a wave, so one statement
per kind (placed, changed) writes a whole wave, its rows given as arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from psycopg import Cursor

from domain import events as e

Upsert = e.OrderPlaced | e.OrderChanged
Columns = Callable[[Sequence[Upsert]], list[list[Any]]]


def order_key(recorded: e.Recorded) -> Hashable:
    """The order an order event belongs to: the key its waves are cut by."""
    event = recorded.event
    assert isinstance(event, e.OrderEvent)
    return event.order_id


def as_columns(rows: Iterable[tuple[Any, ...]]) -> list[list[Any]]:
    """Rows turned into one list per column, as ``unnest`` takes them."""
    return [list(column) for column in zip(*rows, strict=True)]


def upsert_wave(
    cur: Cursor[Any], statement: str, columns: Columns, wave: Sequence[e.Recorded]
) -> None:
    """``statement`` once for the wave's placements and once for its changes (its last
    parameter says which), each with ``columns`` of those events."""
    placed = [r.event for r in wave if isinstance(r.event, e.OrderPlaced)]
    changed = [r.event for r in wave if isinstance(r.event, e.OrderChanged)]
    for upserts, is_placed in ((placed, True), (changed, False)):
        if upserts:
            cur.execute(statement, [*columns(upserts), is_placed])
