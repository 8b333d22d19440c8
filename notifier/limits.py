"""Telegram's broadcast limits as sliding windows: at most ``limit`` sends in any ``period``.

Telegram allows about 30 messages a second overall and 20 a minute per group. A leaky
bucket (aiolimiter) either admits a first burst of ``limit`` and then refills while the
burst is still inside the window (up to twice the limit in one second), or, with a
capacity of one, paces sends evenly and takes 1.6 s for 50 messages that the window
allows in 1.0 s. pyrate-limiter has the right algorithm (a sliding-window log), but its
async acquire holds one lock per limiter through the whole wait, so each group would need
a limiter of its own, each with a background leaking thread, and its timestamps are whole
milliseconds with a 50 ms pad. The window here is a bounded deque of the last ``limit``
sends: a send waits until the oldest of them is done and ``period`` old.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable

SWEEP_AT = 64  # group windows kept before the idle ones are looked for


class _Send:
    """A send holding a place in a window: in flight until it is done, then timed."""

    def __init__(self) -> None:
        self.done = asyncio.Event()
        self.at = 0.0


class SlidingWindow:
    """At most ``limit`` sends in any ``period`` seconds, counted where Telegram counts them.

    A send's time is when its call returned (Telegram received it before then), and a new
    send starts ``period`` after that: so however the network delays each request, no
    ``limit + 1`` of them reach Telegram within one period. Waiters go in FIFO order.
    """

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
        self.sends: deque[_Send] = deque(maxlen=limit)
        self.lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait for a place in the window, hold it while the call runs."""
        async with self.lock:
            while len(self.sends) == self.limit:
                oldest = self.sends[0]
                await oldest.done.wait()
                wait = oldest.at + self.period - self.clock()
                if wait <= 0:
                    break
                await self.sleep(wait)
            send = _Send()
            self.sends.append(send)  # the oldest leaves the deque (maxlen)
        try:
            yield
        finally:
            send.at = self.clock()
            send.done.set()

    def idle(self) -> bool:
        """Nobody waits and the last send left the window: the window can be forgotten."""
        return not self.lock.locked() and all(
            s.done.is_set() and self.clock() - s.at >= self.period for s in self.sends
        )


class Limits:
    """30 sends in any second overall, 20 in any minute per group (negative chat ids)."""

    def __init__(self, per_second: int = 30, per_group: int = 20, group_period: float = 60) -> None:
        self.overall = SlidingWindow(per_second, 1.0)
        self.per_group = per_group
        self.group_period = group_period
        self.groups: dict[int, SlidingWindow] = {}
        self.sweep_at = SWEEP_AT

    @contextlib.asynccontextmanager
    async def slot(self, chat_id: int) -> AsyncIterator[None]:
        """A place in the chat's group window first, then in the overall one: a send held
        back by its group never holds up the others."""
        async with contextlib.AsyncExitStack() as places:
            if chat_id < 0:  # groups and channels have negative ids
                window = self.groups.get(chat_id)
                if window is None:
                    if len(self.groups) >= self.sweep_at:
                        self._forget_idle()
                    window = SlidingWindow(self.per_group, self.group_period)
                    self.groups[chat_id] = window
                await places.enter_async_context(window.slot())
            await places.enter_async_context(self.overall.slot())
            yield

    def _forget_idle(self) -> None:
        """Drop the windows nobody uses; the next sweep when as many again were opened, so
        a burst to many chats does not look at every window for each new one."""
        for chat_id in [c for c, w in self.groups.items() if w.idle()]:
            del self.groups[chat_id]
        self.sweep_at = max(SWEEP_AT, 2 * len(self.groups))
