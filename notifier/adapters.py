"""The notifier's one joint with the rest of the system: the write side (commands) here,
the read side (projections.reads.queries) in ``notifier.read_side``.

Everything the notifier asks of other packages goes through here, in blocking calls
that the async code runs in threads.
"""

from __future__ import annotations

import asyncio
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
from notifier.read_side import ReadSide
from projections.reads.queries import Queries

GROUP = 8  # attempts and outcomes appended together: a group's decisions load in parallel
OUTCOME_DEFER_SECONDS = 0.5  # at most this long an outcome waits for attempts being written
Commits = GroupCommit[m.Command[Any], m.Outcome[Any]]


def open_sides(database_url: str, reads: ConnectionPool) -> tuple[WriteSide, ReadSide]:
    """The write side on an event store of its own, not connected yet (``WriteSide.setup``
    does, ``WriteSide.close`` closes it); the read side on ``reads``."""
    return WriteSide(LunchService(PostgresEventStore(database_url))), ReadSide(Queries(reads))


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
        # In the loop's executor, whose threads the notifier waits for when it stops.
        run = asyncio.to_thread
        self.attempts: Commits = GroupCommit(service.execute_many, GROUP, in_thread=run)
        self.outcomes: Commits = GroupCommit(service.execute_many, GROUP, in_thread=run)

    def setup(self) -> None:
        """Connect to the event store and create its tables if absent (blocking)."""
        self.service.store.setup()

    async def drained(self, within: float) -> None:
        """Until the attempts and outcomes under way are written, or ``within`` seconds."""
        await asyncio.gather(self.attempts.drained(within), self.outcomes.drained(within))

    def close(self) -> None:
        """Stop the deciding threads, then close the event store's connections (blocking)."""
        self.service.close()
        self.service.store.close()

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
