"""What the notifier reads from the read models (projections.reads.queries), in blocking
calls that the async code runs in threads."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from psycopg_pool import ConnectionPool

from projections.models import sheets
from projections.reads.queries import Queries
from projections.reads.results import CafeDaySheet, CafeSchedule, CafeView, DispatchView
from projections.reads.waiting import wait_until

SHEETS = sheets.NAME
SHEET_TYPES: frozenset[str] = frozenset(sheets.projection.handles)
DISPATCHES = "dispatches"


def read_pool(database_url: str, max_size: int) -> ConnectionPool:
    """Connections for the read models, not opened yet. Autocommit: each read is a
    statement or a few, and none holds a transaction open (nor its snapshot and locks)
    or pays a BEGIN and a COMMIT; the notifier's writes keep a pool of their own."""
    return ConnectionPool(
        database_url, min_size=1, max_size=max_size, kwargs={"autocommit": True}, open=False
    )


class ReadSide:
    """What the notifier reads from the read models."""

    def __init__(self, queries: Queries) -> None:
        self.queries = queries

    def sheet_position(self, cafe_id: uuid.UUID) -> int:
        """The last notification id of the cafe's events the cafe-day sheets applied."""
        return self.queries.applied(SHEETS, str(cafe_id))

    def sheet(self, cafe_id: uuid.UUID, date: dt.date) -> CafeDaySheet | None:
        return self.queries.cafe_day_sheet(cafe_id, date)

    def sheet_reaching(
        self, cafe_id: uuid.UUID, date: dt.date, notification_id: int
    ) -> tuple[bool, CafeDaySheet | None]:
        """Whether the sheets applied the cafe's events up to ``notification_id``, and the
        sheet as it stands (read after that check: it holds at least those events)."""
        reached = self.sheet_position(cafe_id) >= notification_id if notification_id else True
        return reached, self.queries.cafe_day_sheet(cafe_id, date)

    def sheets_reaching(
        self, wanted: Sequence[tuple[uuid.UUID, dt.date, int]]
    ) -> list[tuple[bool, CafeDaySheet | None]]:
        """``sheet_reaching`` of several cafe-days: one query for the positions, then one
        round trip each for the sheets' cafes, days and orders."""
        keys = [str(cafe_id) for cafe_id, _, _ in wanted]
        positions = self.queries.applied_many(SHEETS, keys) if any(n for *_, n in wanted) else {}
        sheets = self.queries.cafe_day_sheets([(cafe_id, date) for cafe_id, date, _ in wanted])
        return [
            (not upto or positions[key] >= upto, sheets[cafe_id, date])
            for key, (cafe_id, date, upto) in zip(keys, wanted, strict=True)
        ]

    def is_employee(self, tg_id: int) -> bool:
        found = self.queries.employee(tg_id)
        return found is not None and found.active

    def cafe_name(self, cafe_id: uuid.UUID, seconds: float = 5.0) -> str:
        """The cafe's name; a link is approved only for a registered cafe, so wait (bounded)
        for the read model to show a cafe registered just before."""
        wait_until(lambda: self.queries.cafe(cafe_id) is not None, seconds)
        cafe = self.queries.cafe(cafe_id)
        return cafe.name if cafe else ""

    def cafes(self) -> list[CafeView]:
        return self.queries.cafes()

    def schedules(self) -> list[CafeSchedule]:
        return self.queries.schedules()

    def cafe_of_chat(self, chat_id: int) -> uuid.UUID | None:
        return next((c.id for c in self.queries.cafes() if c.chat_id == chat_id), None)

    def sent_dispatch(
        self, cafe_id: uuid.UUID, date: dt.date, after: int, seconds: float = 5.0
    ) -> DispatchView | None:
        """The day's latest delivered dispatch, once the log has applied event ``after``."""
        self.queries.wait_applied(DISPATCHES, str(cafe_id), after, seconds)
        rows = self.queries.dispatches(cafe_id, date)
        return next((r for r in rows if r.message_ids), None)
