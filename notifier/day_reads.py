"""A dispatch's reads, many dispatches at a time: the cafe-day's sheet, once it holds every
order the closure follows, and the day's dispatch as the cafe's stream records it."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from commands.group_commit import GroupCommit
from notifier.adapters import WriteSide
from notifier.policy import DayState
from notifier.read_side import ReadSide
from projections.reads.results import CafeDaySheet
from projections.reads.waiting import wait_until_async

SHEET_WAIT_SECONDS = 300.0
READ_GROUP = 10  # dispatches reading their sheets and days together
NOT_READY = "the order sheet did not catch up with the closure in time"

Wanted = tuple[uuid.UUID, dt.date, int]  # a cafe-day, and the event its sheet must reach
Found = tuple[bool, CafeDaySheet | None, tuple[DayState, ZoneInfo]]


class DayReads:
    def __init__(self, write: WriteSide, read: ReadSide, group: int = READ_GROUP) -> None:
        self.write = write
        self.read_side = read
        self.group: GroupCommit[Wanted, Found] = GroupCommit(
            self._many, group, in_thread=asyncio.to_thread
        )

    async def read(self, cafe_id: uuid.UUID, date: dt.date, upto: int) -> Found:
        """Whether the sheet reached notification ``upto`` in time; the sheet; the day.

        Dispatches read in groups, in the order they came: fifty closures at once read
        their sheets and days in a few round trips, and the first ones get their messages
        out first rather than all fifty finishing their reads together. A sheet not there
        yet is polled on its own, then read again with the day."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SHEET_WAIT_SECONDS

        async def reached() -> bool:
            return await asyncio.to_thread(self.read_side.sheet_position, cafe_id) >= upto

        while True:
            found = await self.group.run((cafe_id, date, upto))
            if found[0] or loop.time() > deadline:
                return found
            await wait_until_async(reached, max(deadline - loop.time(), 0.0))

    def _many(self, wanted: Sequence[Wanted]) -> list[Found | Exception]:
        """Each wanted cafe-day's sheet (the sheets read after their positions) and day."""
        sheets = self.read_side.sheets_reaching(wanted)
        days = self.write.days([(cafe_id, date) for cafe_id, date, _ in wanted])
        return [
            day if isinstance(day, Exception) else (reached, sheet, day)
            for (reached, sheet), day in zip(sheets, days, strict=True)
        ]
