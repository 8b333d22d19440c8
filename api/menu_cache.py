"""Hot menus in process: a cafe's menu and closure for a date, kept while the menus
projection's position for that cafe stays where it was when they were read.

Each entry records the position it was read at. A request within ``RECHECK_SECONDS`` of
the last check is answered from memory; after that one cheap query compares positions and
the menu is read again only if the projection moved. So someone else's menu change shows
within ``RECHECK_SECONDS`` of the projection applying it, and a manager's own change (a
pending write, see api.freshness) is never answered from an entry older than it.

An entry also keeps its menu's JSON body: the body changes with the time only where the
cafe's deadline for the day falls (``ordering_open``), so it is encoded again only when the
entry is new or the time is on the other side of that deadline.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from api.schemas import MenuOut
from projections.reads.async_reads import AsyncReads
from projections.reads.results import CafeView

PROJECTION = "menus"
RECHECK_SECONDS = 0.1
MAX_ENTRIES = 1024


@dataclass
class _Entry:
    position: int
    checked_at: float
    cafe: CafeView | None
    closed: bool
    body: bytes | None = None
    deadline: dt.datetime | None = None
    before_deadline: bool = False

    def body_at(self, now: dt.datetime) -> bytes | None:
        """The body kept, if ``now`` is on the same side of the deadline as when encoded."""
        if self.deadline is not None and (now < self.deadline) != self.before_deadline:
            return None
        return self.body


class MenuCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._entries: dict[tuple[uuid.UUID, dt.date], _Entry] = {}

    async def menu(
        self, reads: AsyncReads, cafe_id: uuid.UUID, day: dt.date, at_least: int = 0
    ) -> tuple[CafeView | None, bool]:
        """The cafe (None if unknown) and whether ``day`` is closed, as of at least
        notification ``at_least`` of the menus projection."""
        entry = await self._entry(reads, cafe_id, day, at_least)
        return entry.cafe, entry.closed

    async def _entry(
        self, reads: AsyncReads, cafe_id: uuid.UUID, day: dt.date, at_least: int
    ) -> _Entry:
        now = self._clock()
        entry = self._entries.get((cafe_id, day))
        if entry is not None and entry.position >= at_least:
            if now - entry.checked_at < RECHECK_SECONDS:
                return entry
            # Marked first: requests arriving while the position is read answer from
            # the entry as it is, instead of each asking the same question.
            entry.checked_at = now
        # The position is read before the menu, so the menu is at least that new.
        position = await reads.applied(PROJECTION, str(cafe_id))
        if entry is not None and entry.position == position >= at_least:
            entry.checked_at = now
            return entry
        cafe = await reads.cafe(cafe_id)
        closed = cafe is not None and await reads.is_closed(cafe_id, day)
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        found = self._entries[cafe_id, day] = _Entry(position, now, cafe, closed)
        return found

    async def body(
        self,
        reads: AsyncReads,
        cafe_id: uuid.UUID,
        day: dt.date,
        now: dt.datetime,
        render: Callable[[CafeView, bool], MenuOut],
        at_least: int = 0,
    ) -> bytes | None:
        """``menu``'s answer as a JSON body for the instant ``now`` (None: no such cafe)."""
        entry = await self._entry(reads, cafe_id, day, at_least)
        if entry.cafe is None:
            return None
        body = entry.body_at(now)
        if body is None:
            out = render(entry.cafe, entry.closed)
            body = msgspec.json.encode(out)
            entry.body, entry.deadline = body, out.cafe.deadline
            entry.before_deadline = out.cafe.deadline is not None and now < out.cafe.deadline
        return body
