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
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import anyio.to_thread

C = TypeVar("C")
R = TypeVar("R")

MAX_GROUP = 64


class GroupCommit(Generic[C, R]):
    """``await run(command)`` gives that command's result from ``execute_many``, a blocking
    function that answers each command of a group, in order, with a result or an exception
    (which is then raised in the command's caller)."""

    def __init__(
        self,
        execute_many: Callable[[Sequence[C]], Sequence[R | Exception]],
        max_group: int = MAX_GROUP,
    ) -> None:
        self._execute_many = execute_many
        self._max_group = max_group
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
                results: Sequence[Any] = await anyio.to_thread.run_sync(
                    self._execute_many, commands
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
