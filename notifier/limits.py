"""Telegram's broadcast limits as sliding windows: at most ``limit`` sends in any ``period``.

Telegram allows about 30 messages a second overall and 20 a minute per group. A leaky
bucket (aiolimiter) either admits a first burst of ``limit`` and then refills while the
burst is still inside the window (up to twice the limit in one second), or, with a
capacity of one, paces sends evenly and takes 1.6 s for 50 messages that the window
allows in 1.0 s. pyrate-limiter has the right algorithm (a sliding-window log), but its
async acquire holds one lock per limiter through the whole wait, so each group would need
a limiter of its own, each with a background leaking thread, and its timestamps are whole
milliseconds with a 50 ms pad. The window here is a bounded deque of the last ``limit``
send times per key: a send waits until the oldest of them is ``period`` old.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable


class SlidingWindow:
    """At most ``limit`` acquisitions in any ``period`` seconds; waiters go in FIFO order."""

    def __init__(
        self,
        limit: int,
        period: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("a window needs a positive limit and period")
        self.limit = limit
        self.period = period
        self.clock = clock
        self.sleep = sleep
        self.times: deque[float] = deque(maxlen=limit)
        self.lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self.lock:
            while len(self.times) == self.limit:
                wait = self.times[0] + self.period - self.clock()
                if wait <= 0:
                    break
                await self.sleep(wait)
            self.times.append(self.clock())  # the oldest leaves the deque (maxlen)

    def idle(self) -> bool:
        """Nobody waits and the last send left the window: the window can be forgotten."""
        return not self.lock.locked() and (
            not self.times or self.clock() - self.times[-1] >= self.period
        )


class Limits:
    """30 sends in any second overall, 20 in any minute per group (negative chat ids)."""

    def __init__(self, per_second: int = 30, per_group: int = 20, group_period: float = 60) -> None:
        self.overall = SlidingWindow(per_second, 1.0)
        self.per_group = per_group
        self.group_period = group_period
        self.groups: dict[int, SlidingWindow] = {}

    async def acquire(self, chat_id: int) -> None:
        """Wait for the chat's group window first, then the overall one: a send held back
        by its group never holds up the others."""
        if chat_id < 0:  # groups and channels have negative ids
            window = self.groups.get(chat_id)
            if window is None:
                self._forget_idle()
                window = self.groups[chat_id] = SlidingWindow(self.per_group, self.group_period)
            await window.acquire()
        await self.overall.acquire()

    def _forget_idle(self) -> None:
        for chat_id in [c for c, w in self.groups.items() if w.idle()]:
            del self.groups[chat_id]
