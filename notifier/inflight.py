"""Messages being handled: each key's in order, different keys side by side, and positions
saved in order.

The consumer does not wait for a polled batch to be handled before it polls the next: a
dispatch held back by Telegram (a 429's ``retry_after``, a chat's backoff, a full rate
window) must not hold up the closures of other cafes that arrive after it. Each message
joins its partition's queue; a wanted one runs after the previous wanted message of its
key. A partition's position may move past a message only when it and every message before
it are handled, so a crash or a restart redelivers whatever was not, as before.
"""

from __future__ import annotations

import asyncio
import functools
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable

Job = Callable[[], Awaitable[None]]


class _Entry:
    __slots__ = ("done", "nid", "offset")

    def __init__(self, offset: int, nid: int, *, done: bool) -> None:
        self.offset = offset
        self.nid = nid
        self.done = done


class InFlight:
    def __init__(self) -> None:
        self.queues: dict[int, deque[_Entry]] = defaultdict(deque)
        self.tails: dict[str, asyncio.Task[None]] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.failure: BaseException | None = None

    def add(self, partition: int, offset: int, nid: int, key: str, job: Job | None) -> None:
        """A polled message; ``job`` handles it (None: nothing to do)."""
        entry = _Entry(offset, nid, done=job is None)
        self.queues[partition].append(entry)
        if job is None:
            return
        task = asyncio.create_task(self._run(self.tails.get(key), job, entry))
        self.tails[key] = task
        self.tasks.add(task)
        task.add_done_callback(functools.partial(self._finished, key))

    async def _run(self, before: asyncio.Task[None] | None, job: Job, entry: _Entry) -> None:
        if before is not None:
            await asyncio.wait({before})
            if before.cancelled() or before.exception() is not None:
                return  # the consumer restarts from the stored positions
        await job()
        entry.done = True

    def _finished(self, key: str, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if self.tails.get(key) is task:
            del self.tails[key]
        if not task.cancelled() and task.exception() is not None and self.failure is None:
            self.failure = task.exception()

    def pending(self) -> int:
        return len(self.tasks)

    def settled(self) -> dict[int, tuple[int, int]]:
        """Per partition, (offset, notification id) of the last message that every message
        before it was handled with; those leave the queues."""
        out: dict[int, tuple[int, int]] = {}
        for partition, queue in self.queues.items():
            while queue and queue[0].done:
                entry = queue.popleft()
                out[partition] = (entry.offset, entry.nid)
        return out

    def forget(self, partition: int) -> None:
        """The partition is read again or went to another consumer: no position from here."""
        self.queues.pop(partition, None)

    async def cancel(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
