"""Stopping the notifier: promptly, closing everything it opened, each wait bounded.

SIGTERM and SIGINT cancel the notifier's task at the await it is in. Left to Python's
default handler they raise KeyboardInterrupt at whatever line the event loop's thread is
running, which can leave a library's worker thread waiting for a stop that never comes;
the interpreter then waits for it at exit, for ever.

What the notifier opens is closed in the reverse order of opening (its tasks first, its
thread pool last), each step bounded; ``notifier.stopping`` and ``notifier.stopped`` mark
the start and the end, the latter with the threads still alive that the notifier started.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

log = logging.getLogger("lunch.notifier")
P = ParamSpec("P")
T = TypeVar("T")

SIGNALS = (signal.SIGTERM, signal.SIGINT)
STEP_SECONDS = 3.0
POLL_SECONDS = 0.02


async def until_signalled(job: Awaitable[None]) -> None:
    """Run ``job`` (in this task); SIGTERM or SIGINT cancel it, and then return normally.
    A second signal while it stops is only logged: every step of stopping is bounded."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    received: list[str] = []

    def stop(signum: signal.Signals) -> None:
        if received:
            log.info("notifier.already_stopping", extra={"signal": signum.name})
            return
        received.append(signum.name)
        task.cancel(signum.name)

    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    for signum in SIGNALS:
        loop.add_signal_handler(signum, stop, signum)
    try:
        await job
    except asyncio.CancelledError:
        if not received or task.uncancel() > 0:
            raise
    finally:
        for signum, handler in previous.items():
            loop.remove_signal_handler(signum)
            signal.signal(signum, handler)


class Threads(ThreadPoolExecutor):
    """The notifier's blocking calls (the event loop's default executor), which knows its
    calls and threads so that stopping can wait for them, bounded."""

    def __init__(self, workers: int) -> None:
        self.threads: set[threading.Thread] = set()
        self.calls: set[Future[Any]] = set()
        super().__init__(workers, thread_name_prefix="notifier", initializer=self._started)

    def _started(self) -> None:
        self.threads.add(threading.current_thread())

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        call = super().submit(fn, *args, **kwargs)
        self.calls.add(call)
        call.add_done_callback(self.calls.discard)
        return call

    async def idle(self) -> None:
        """Until no call is running or waiting: the pools close under none of them (the
        event store retries a call that finds its pool closed, for seconds)."""
        while self.calls:  # noqa: ASYNC110 - a call's end is not awaitable on this loop
            await asyncio.sleep(POLL_SECONDS)

    async def stop(self) -> None:
        """Give the loop a fresh executor (anything else on this loop keeps working), let
        this one finish what it was given, and wait until its threads have ended."""
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor())
        self.shutdown(wait=False)
        # A thread's end is not awaitable; joining one would block the loop.
        while any(t.is_alive() for t in self.threads):  # noqa: ASYNC110
            await asyncio.sleep(POLL_SECONDS)


async def ended(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """Cancel the tasks and wait until they have ended."""
    tasks = list(tasks)
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks)


class Shutdown:
    """What the notifier opened, each with how to close it; closed last-opened first."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, Callable[[], Awaitable[Any]], float]] = []
        self.before = set(threading.enumerate())

    def add(
        self, name: str, close: Callable[[], Awaitable[Any]], seconds: float = STEP_SECONDS
    ) -> None:
        self.steps.append((name, close, seconds))

    def add_blocking(
        self, name: str, close: Callable[[], Any], seconds: float = STEP_SECONDS
    ) -> None:
        """A blocking ``close``, run in a thread."""
        self.add(name, lambda: asyncio.to_thread(close), seconds)

    async def close(self, reason: str) -> None:
        started = time.monotonic()
        steps = [name for name, _, _ in reversed(self.steps)]
        log.info("notifier.stopping", extra={"reason": reason, "steps": steps})
        late: list[str] = []
        took: dict[str, float] = {}
        while self.steps:
            name, close, seconds = self.steps.pop()
            began = time.monotonic()
            try:
                await asyncio.wait_for(close(), seconds)
            except TimeoutError:
                late.append(name)
                log.warning("notifier.stop_late", extra={"step": name, "seconds": seconds})
            except Exception as error:
                log.warning("notifier.stop_failed", extra={"step": name, "error": repr(error)})
            took[name] = round(time.monotonic() - began, 3)
        left = sorted(t.name for t in threading.enumerate() if t not in self.before)
        log.log(
            logging.WARNING if left or late else logging.INFO,
            "notifier.stopped",
            extra={
                "seconds": round(time.monotonic() - started, 3),
                "steps": took,
                "late": late,
                "threads": left,
            },
        )
