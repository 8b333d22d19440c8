"""A cafe-day sheet as it stood at a moment, replayed from the event store.

The sheets projection's own apply runs over the events recorded up to that moment into
temporary copies of its tables (``pg_temp``, dropped with the transaction), and the same
report query reads them back. The live read model is neither read nor locked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol

from psycopg_pool import ConnectionPool

from domain import events as e
from domain.events import Recorded
from projections.engine.schema import setup
from projections.models.sheets import TABLES, projection, sheet_projection
from projections.reads.reports import cafe_day_sheet
from projections.reads.results import CafeDaySheet


class ReadEvents(Protocol):
    """``EventStore.read``: events after a notification id, ascending, of some types."""

    def __call__(
        self, after: int, limit: int, *, topics: Sequence[str] = ()
    ) -> Sequence[Recorded]: ...


# An event's ``at`` is taken before its transaction commits, so the log is ordered by
# ``at`` only up to the longest a command may run; reading this far past the moment
# makes sure no event stamped before it is missed.
SETTLE = dt.timedelta(minutes=10)
BATCH = 1000

_TEMP = sheet_projection("pg_temp")
_TOPICS = tuple(sorted(projection.handles))


def _concerns(event: e.Event, cafe_id: uuid.UUID, date: dt.date) -> bool:
    """Whether the event can change this cafe-day's sheet (names of people included)."""
    if isinstance(event, e.EmployeeRegistered | e.EmployeeUpdated | e.MonthlyLimitSet):
        return True
    if getattr(event, "cafe_id", None) != cafe_id:
        return False
    event_date = getattr(event, "date", None)
    return event_date is None or event_date == date


def cafe_day_as_of(
    pool: ConnectionPool,
    cafe_id: uuid.UUID,
    date: dt.date,
    as_of: dt.datetime,
    read_events: ReadEvents,
) -> CafeDaySheet | None:
    """The sheet from the events stamped at or before ``as_of`` (timezone-aware)."""
    if as_of.tzinfo is None:
        raise ValueError("as_of must carry a timezone")
    setup(pool, [projection])
    with pool.connection() as conn, conn.transaction(force_rollback=True):
        for table in TABLES:
            conn.execute(
                f"CREATE TEMP TABLE {table} (LIKE read.{table} INCLUDING ALL) ON COMMIT DROP"
            )
        cur = conn.cursor()
        position = 0
        while batch := read_events(position, BATCH, topics=_TOPICS):
            position = batch[-1].notification_id
            for recorded in batch:
                event = recorded.event
                if event.at <= as_of and _concerns(event, cafe_id, date):
                    _TEMP.apply(cur, recorded)
            if batch[-1].event.at > as_of + SETTLE:
                break
        return cafe_day_sheet(conn, cafe_id, date, as_of=as_of, schema="pg_temp")
