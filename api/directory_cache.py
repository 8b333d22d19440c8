"""The employee directory in process: each api worker keeps the entries it looked up while
the employees projection stays where it was.

Every authenticated request looks its caller up (``api.guards``). At most every
``RECHECK_SECONDS`` one query reads the projection's position; when it moved, every entry
is dropped and read again on use. So a deactivation, a role change or a new office reaches
every worker within ``RECHECK_SECONDS`` of the projection applying it, and a request in
between costs no query. Logins never use this (``api.identity``): they read the directory.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from projections.reads.async_reads import AsyncReads
from projections.reads.results import EmployeeView

PROJECTION = "employees"
RECHECK_SECONDS = 0.1
MAX_ENTRIES = 10_000


class DirectoryCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._entries: dict[int, EmployeeView] = {}
        self._position = -1
        self._checked_at = -math.inf

    async def employee(self, reads: AsyncReads, tg_id: int) -> EmployeeView | None:
        """The directory's entry for ``tg_id`` (None if it has none)."""
        now = self._clock()
        if now - self._checked_at >= RECHECK_SECONDS:
            # Marked first: the requests arriving while the position is read use the
            # entries as they are, instead of each asking the same question.
            self._checked_at = now
            position = await reads.position(PROJECTION)
            if position != self._position:
                self._entries.clear()
                self._position = position
        found = self._entries.get(tg_id)
        if found is None:
            found = await reads.employee(tg_id)
            if found is not None:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[tg_id] = found
        return found
