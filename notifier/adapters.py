"""The notifier's one joint with the rest of the system: the write side (commands), the
read side (projections.queries) and the wire format of Kafka messages.

Everything the notifier asks of other packages goes through here, in blocking calls
that the async code runs in threads.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from psycopg_pool import ConnectionPool

from commands import dispatches as commands
from commands.service import LunchService
from commands.store import EventStore
from domain.errors import Conflict, DomainError
from domain.events import AnyEvent, decode_event
from notifier.policy import DayState
from projections.queries import Queries
from projections.views import CafeDaySheet, CafeView, DispatchView

SHEETS = "sheets"
DISPATCHES = "dispatches"


class Delivered(msgspec.Struct, frozen=True, kw_only=True):
    """A Kafka message of ``lunch.events``: its place, and the event if we read that type."""

    partition: int
    offset: int
    key: str
    notification_id: int
    type: str
    event: AnyEvent | None


def delivered(message: Any, wanted: frozenset[str]) -> Delivered:
    """Decode a relayed message's headers, and its value only if its type is ``wanted``."""
    headers = {name: value.decode() for name, value in message.headers or ()}
    kind = headers.get("type", "")
    return Delivered(
        partition=message.partition,
        offset=message.offset,
        key=message.key.decode() if message.key else "",
        notification_id=int(headers.get("notification_id", "0")),
        type=kind,
        event=decode_event(message.value) if kind in wanted and message.value else None,
    )


def open_sides(database_url: str, pool: ConnectionPool) -> tuple[WriteSide, ReadSide]:
    """The write side on its own event store connection, the read side on ``pool``."""
    store = EventStore(database_url)
    store.setup()
    return WriteSide(LunchService(store)), ReadSide(Queries(pool))


class WriteSide:
    """Commands the notifier records: dispatch attempts and outcomes, acknowledgements,
    link requests, a chat's migration."""

    def __init__(self, service: LunchService) -> None:
        self.service = service

    def day(self, cafe_id: uuid.UUID, date: dt.date) -> tuple[DayState, ZoneInfo]:
        """The cafe-day's dispatch as its stream records it, and the cafe's timezone."""
        cafe = self.service.cafe(cafe_id)
        day = date.isoformat()
        state = DayState(
            chat_id=cafe.chat_id,
            status=cafe.dispatched.get(day),
            in_doubt_since=cafe.in_doubt.get(day),
            sent_at=cafe.sent_at.get(day),
            settled_at=cafe.settled_at.get(day),
        )
        return state, ZoneInfo(cafe.timezone)

    def begin(self, cafe_id: uuid.UUID, date: dt.date, chat_id: int, *, repeat: bool) -> bool:
        """Record the attempt; False when another delivery already attempted a first send."""
        try:
            commands.begin_dispatch(self.service, cafe_id, date, chat_id, repeat=repeat)
        except Conflict:
            return False
        return True

    def sent(
        self,
        cafe_id: uuid.UUID,
        date: dt.date,
        chat_id: int,
        message_ids: Sequence[int],
        text: str,
    ) -> None:
        commands.record_sent(self.service, cafe_id, date, chat_id, message_ids, text)

    def failed(self, cafe_id: uuid.UUID, date: dt.date, error: str, text: str) -> None:
        commands.record_failed(self.service, cafe_id, date, error, text)

    def logged(self, cafe_id: uuid.UUID, date: dt.date, text: str) -> None:
        commands.record_logged(self.service, cafe_id, date, text)

    def acknowledge(self, cafe_id: uuid.UUID, date: dt.date, *, actor: str) -> int | None:
        """The acknowledgement's notification id (0: already acknowledged); None if refused."""
        try:
            return commands.acknowledge(self.service, cafe_id, date, actor=actor).notification_id
        except DomainError:
            return None

    def request_link(self, chat_id: int, title: str, user_id: int) -> None:
        self.service.request_link(chat_id, title, user_id)

    def follow_migration(self, cafe_id: uuid.UUID, old_chat_id: int, new_chat_id: int) -> None:
        commands.follow_migration(self.service, cafe_id, old_chat_id, new_chat_id)


class ReadSide:
    """What the notifier reads from the read models."""

    def __init__(self, queries: Queries) -> None:
        self.queries = queries

    def sheet_position(self, cafe_id: uuid.UUID) -> int:
        """The last notification id of the cafe's events the cafe-day sheets applied."""
        return self.queries.applied(SHEETS, str(cafe_id))

    def sheet(self, cafe_id: uuid.UUID, date: dt.date) -> CafeDaySheet | None:
        return self.queries.cafe_day_sheet(cafe_id, date)

    def is_employee(self, tg_id: int) -> bool:
        found = self.queries.employee(tg_id)
        return found is not None and found.active

    def cafe_name(self, cafe_id: uuid.UUID) -> str:
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
