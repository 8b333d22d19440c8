"""Group commit: concurrent commands of one process (the api, the notifier) appended in
one transaction.

The event store takes an exclusive table lock per append, so commands appended one by one
queue behind each other's commits. Here each command waits on the event loop while at most
one group is being written; when it finishes, everything that arrived meanwhile goes out as
the next group (``execute_many``: each command decided against the current state, all
appended together, one by one if the group conflicts). An idle process thus writes a lone
command at once, and a busy one pays the lock once per group instead of once per command.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import anyio.to_thread

C = TypeVar("C")
R = TypeVar("R")
T = TypeVar("T")

MAX_GROUP = 64
InThread = Callable[[Callable[[], T]], Awaitable[T]]


class GroupCommit(Generic[C, R]):
    """``await run(command)`` gives that command's result from ``execute_many``, a blocking
    function that answers each command of a group, in order, with a result or an exception
    (which is then raised in the command's caller).

    ``in_thread`` runs each group's blocking call: anyio's worker threads by default (the
    api's), or e.g. ``asyncio.to_thread`` for a process that owns the loop's executor and
    waits for its threads when it stops (the notifier)."""

    def __init__(
        self,
        execute_many: Callable[[Sequence[C]], Sequence[R | Exception]],
        max_group: int = MAX_GROUP,
        *,
        in_thread: InThread[Sequence[R | Exception]] = anyio.to_thread.run_sync,
    ) -> None:
        self._execute_many = execute_many
        self._max_group = max_group
        self._in_thread = in_thread
        self._waiting: list[tuple[C, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.groups = 0  # groups written so far, for metrics and tests

    async def run(self, command: C) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((command, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return await future

    async def drained(self, within: float) -> None:
        """Until nothing is left to write here, or ``within`` seconds passed."""
        writer = self._writer
        if writer is not None and not writer.done():
            await asyncio.wait({writer}, timeout=within)

    async def _write(self) -> None:
        try:
            await self._write_groups()
        finally:  # cancelled (shutdown): nobody may wait forever
            for _, future in self._waiting:
                if not future.done():
                    future.set_exception(RuntimeError("shutting down"))
            self._waiting.clear()

    async def _write_groups(self) -> None:
        while self._waiting:
            group = self._waiting[: self._max_group]
            del self._waiting[: self._max_group]
            commands = [command for command, _ in group]
            try:
                results: Sequence[Any] = await self._in_thread(
                    functools.partial(self._execute_many, commands)
                )
            except Exception as e:  # the whole group failed (e.g. the database is down)
                results = [e] * len(group)
            self.groups += 1
            for (_, future), result in zip(group, results, strict=True):
                if future.done():  # its caller went away (cancelled request)
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)
