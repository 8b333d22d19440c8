"""The notifier's one joint with the rest of the system: the write side (commands) and the
read side (projections.reads.queries).

Everything the notifier asks of other packages goes through here, in blocking calls
that the async code runs in threads.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from psycopg_pool import ConnectionPool

from commands import messages as m
from commands.group_commit import GroupCommit
from commands.service import LunchService
from commands.store.postgres import PostgresEventStore
from domain.cafe import CafeState
from domain.errors import Conflict, DomainError, NotFound
from domain.events import SYSTEM
from notifier.policy import DayState
from projections.models import sheets
from projections.reads.queries import Queries
from projections.reads.results import CafeDaySheet, CafeView, DispatchView
from projections.reads.waiting import wait_until

GROUP = 8  # attempts and outcomes appended together: a group's decisions load in parallel
OUTCOME_DEFER_SECONDS = 0.5  # at most this long an outcome waits for attempts being written
SHEETS = sheets.NAME
Commits = GroupCommit[m.Command[Any], m.Outcome[Any]]
SHEET_TYPES: frozenset[str] = frozenset(sheets.projection.handles)
DISPATCHES = "dispatches"


def open_sides(database_url: str, pool: ConnectionPool) -> tuple[WriteSide, ReadSide]:
    """The write side on its own event store connection, the read side on ``pool``."""
    store = PostgresEventStore(database_url)
    store.setup()
    return WriteSide(LunchService(store)), ReadSide(Queries(pool))


class WriteSide:
    """Commands the notifier records: dispatch attempts and outcomes, acknowledgements,
    link requests, a chat's migration.

    Dispatch attempts and outcomes are awaited, not run in a thread: fifty closures at once
    record their attempts in a few transactions (``commands.group_commit``) rather than
    fifty, each taking the events table's lock in turn before its message can go."""

    def __init__(self, service: LunchService) -> None:
        self.service = service
        # Two queues: an attempt holds up its message, an outcome holds up nothing, so
        # attempts never wait behind the outcomes of the messages already sent.
        self.attempts: Commits = GroupCommit(service.execute_many, max_group=GROUP)
        self.outcomes: Commits = GroupCommit(service.execute_many, max_group=GROUP)

    def day(self, cafe_id: uuid.UUID, date: dt.date) -> tuple[DayState, ZoneInfo]:
        """The cafe-day's dispatch as its stream records it, and the cafe's timezone."""
        return _day(self.service.cafe(cafe_id), date)

    def days(
        self, days: Sequence[tuple[uuid.UUID, dt.date]]
    ) -> list[tuple[DayState, ZoneInfo] | DomainError]:
        """``day`` of several cafe-days, the cafes read in one round trip."""
        cafes = self.service.cafes([cafe_id for cafe_id, _ in days])
        return [
            _day(cafes[cafe_id], date) if cafe_id in cafes else NotFound("no such cafe")
            for cafe_id, date in days
        ]

    async def begin(self, cafe_id: uuid.UUID, date: dt.date, chat_id: int, *, repeat: bool) -> bool:
        """Record the attempt; False when another delivery already attempted a first send."""
        try:
            await self.attempts.run(
                m.BeginDispatch(
                    cafe_id=cafe_id, date=date, chat_id=chat_id, repeat=repeat, actor=SYSTEM
                )
            )
        except Conflict:
            return False
        return True

    async def sent(
        self,
        cafe_id: uuid.UUID,
        date: dt.date,
        chat_id: int,
        message_ids: Sequence[int],
        text: str,
    ) -> None:
        await self._outcome(
            m.RecordDispatchSent(
                cafe_id=cafe_id,
                date=date,
                chat_id=chat_id,
                message_ids=tuple(message_ids),
                text=text,
                actor=SYSTEM,
            )
        )

    async def failed(self, cafe_id: uuid.UUID, date: dt.date, error: str, text: str) -> None:
        await self._outcome(
            m.RecordDispatchFailed(cafe_id=cafe_id, date=date, error=error, text=text, actor=SYSTEM)
        )

    async def logged(self, cafe_id: uuid.UUID, date: dt.date, text: str) -> None:
        await self._outcome(
            m.RecordDispatchLogged(cafe_id=cafe_id, date=date, text=text, actor=SYSTEM)
        )

    async def _outcome(self, command: m.Command[Any]) -> None:
        """Recorded once the attempts being written are (bounded): the messages still to go
        wait for their attempts, not for the records of those already sent."""
        await self.attempts.drained(OUTCOME_DEFER_SECONDS)
        await self.outcomes.run(command)

    def acknowledge(self, cafe_id: uuid.UUID, date: dt.date, *, actor: str) -> int | None:
        """The acknowledgement's notification id (0: already acknowledged); None if refused."""
        try:
            ack = m.AcknowledgeDispatch(cafe_id=cafe_id, date=date, actor=actor)
            return self.service.execute(ack).notification_id
        except DomainError:
            return None

    def request_link(self, chat_id: int, title: str, user_id: int) -> None:
        self.service.request_link(chat_id, title, user_id)

    def follow_migration(self, cafe_id: uuid.UUID, old_chat_id: int, new_chat_id: int) -> None:
        self.service.execute(
            m.FollowChatMigration(
                cafe_id=cafe_id, old_chat_id=old_chat_id, new_chat_id=new_chat_id, actor=SYSTEM
            )
        )


def _day(cafe: CafeState, date: dt.date) -> tuple[DayState, ZoneInfo]:
    day = date.isoformat()
    state = DayState(
        chat_id=cafe.chat_id,
        status=cafe.dispatched.get(day),
        in_doubt_since=cafe.in_doubt.get(day),
        sent_at=cafe.sent_at.get(day),
        settled_at=cafe.settled_at.get(day),
    )
    return state, ZoneInfo(cafe.timezone)


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

    def cafe_of_chat(self, chat_id: int) -> uuid.UUID | None:
        return next((c.id for c in self.queries.cafes() if c.chat_id == chat_id), None)

    def sent_dispatch(
        self, cafe_id: uuid.UUID, date: dt.date, after: int, seconds: float = 5.0
    ) -> DispatchView | None:
        """The day's latest delivered dispatch, once the log has applied event ``after``."""
        self.queries.wait_applied(DISPATCHES, str(cafe_id), after, seconds)
        rows = self.queries.dispatches(cafe_id, date)
        return next((r for r in rows if r.message_ids), None)
