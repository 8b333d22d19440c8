"""Orders new to a rebuild, folded in Python and written once each with COPY.

A rebuild starts from emptied tables and replays the log in order, so an order whose id it
has not met before has no row yet: its events in a batch fold, in Python, into the one row
the statements would leave (``fold``), and that row goes in with COPY, neither unpacked
from JSON nor checked for a conflict. Orders met in an earlier batch go the statement path
(``Projection.apply_many``). ``fold`` mirrors the statements of ``orders`` and
``sheet_statements`` column for column; the rebuild tests compare the two paths' rows.

The loader keeps across batches the order ids it met and, for the sheets, the cafe-days
whose closure it applied (an order's ``late``). After a batch applied event by event
(parking what failed), ``relearn`` reads the closures back and counts the batch's orders as
met, so what it keeps never claims a row or closure absent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from psycopg import Cursor

from domain import events as e
from projections.engine.base import ApplyMany

# Keyed by the uuids' integers: a UUID hashes in Python, an int in C.
CafeDay = tuple[int, dt.date]

_CHUNK = 500


class Folded(msgspec.Struct, gc=False):
    """An order's row as the statements would leave it: the content of its last placement
    or change, and what the events since then made of it."""

    content: e.OrderPlaced | e.OrderChanged
    status: str
    late: bool
    reason: str | None
    placed_at: dt.datetime
    updated_at: dt.datetime
    # The last event folded in (read.orders.notification_id); set by FreshOrders.
    notification_id: int = 0


Line = Callable[[Folded], str]


def fold(row: Folded | None, event: e.Event, closed: Callable[[CafeDay], bool]) -> Folded | None:
    """The order's row after ``event`` (None: none yet); ``closed`` says whether a cafe-day
    has closed by now, for ``late`` as the sheets reckon it."""
    if isinstance(event, e.OrderPlaced | e.OrderChanged):
        if row is None:
            return Folded(
                event, "placed", closed((event.cafe_id.int, event.date)), None, event.at, event.at
            )
        keep = not isinstance(event, e.OrderPlaced) and row.status == "placed"
        late = row.late or closed((event.cafe_id.int, event.date))
        placed_at = row.placed_at if keep else event.at
        return Folded(event, "placed", late, None, placed_at, event.at)
    if row is None:
        return row
    if isinstance(event, e.OrderCancelled):
        row.late = row.late or closed((row.content.cafe_id.int, row.content.date))
        row.status, row.updated_at = "cancelled", event.at
    elif isinstance(event, e.OrderRejected):
        row.status, row.reason, row.updated_at = "rejected", event.reason, event.at
    return row


class FreshOrders:
    """A rebuild's loader (``engine.base.Loader``) of one projection's order rows."""

    def __init__(
        self,
        copy_statement: str,
        line: Line,
        rest: ApplyMany,
        *,
        closures: str | None = None,
    ) -> None:
        """``line`` writes a row as ``copy_statement`` (COPY's text format) reads it;
        ``rest`` applies the other events; ``closures`` (the cafe-day table) when the rows
        carry ``late``."""
        self.copy_statement = copy_statement
        self.line = line
        self.rest = rest
        self.closures = closures
        self.met: set[int] = set()
        self.closed: set[CafeDay] = set()
        self.pending: list[Folded] = []

    def apply_many(self, cur: Cursor[Any], batch: Sequence[e.Recorded]) -> None:
        """Fold the events of orders new to the rebuild; apply the rest in the pipeline."""
        fresh: dict[int, Folded | None] = {}
        rest: list[e.Recorded] = []
        closed = self.closed.__contains__
        for recorded in batch:
            event = recorded.event
            if isinstance(event, e.OrderEvent):
                order = event.order_id.int
                if order in fresh or order not in self.met:
                    self.met.add(order)
                    fresh[order] = row = fold(fresh.get(order), event, closed)
                    if row is not None:
                        row.notification_id = recorded.notification_id
                    continue
            if isinstance(event, e.OrderingClosed):
                self.closed.add((event.cafe_id.int, event.date))
            rest.append(recorded)
        if rest:
            self.rest(cur, rest)
        self.pending.extend(row for row in fresh.values() if row is not None)

    def copy(self, cur: Cursor[Any]) -> None:
        """Write the folded rows, in the batch's transaction after its pipeline."""
        rows, self.pending = self.pending, []
        if not rows:
            return
        line = self.line
        with cur.copy(self.copy_statement) as copy:
            # In chunks, so that PostgreSQL stores the first rows while the next are written.
            for start in range(0, len(rows), _CHUNK):
                copy.write("".join([line(row) for row in rows[start : start + _CHUNK]]))

    def discard(self) -> None:
        """The batch failed: forget its folded rows."""
        self.pending = []

    def relearn(self, cur: Cursor[Any], batch: Sequence[e.Recorded]) -> None:
        """The batch was applied event by event: its orders count as met, and the closures
        are read back from the table."""
        self.met.update(r.event.order_id.int for r in batch if isinstance(r.event, e.OrderEvent))
        if self.closures is not None:
            cur.execute(f"SELECT cafe_id, date FROM {self.closures} WHERE closed_at IS NOT NULL")  # noqa: S608 - constant text
            self.closed = {(cafe_id.int, date) for cafe_id, date in cur.fetchall()}
