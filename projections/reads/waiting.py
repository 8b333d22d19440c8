"""Waiting for a read model to catch up: ask until it says yes, backing off from 5 ms to
50 ms, for both the synchronous reads (``queries``) and the api's async ones (``async_reads``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator

FIRST_DELAY = 0.005
MAX_DELAY = 0.05


def delays() -> Iterator[float]:
    delay = FIRST_DELAY
    while True:
        yield delay
        delay = min(delay * 2, MAX_DELAY)


def wait_until(done: Callable[[], bool], timeout: float) -> bool:
    """Ask ``done`` until it says yes; False when ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    for delay in delays():
        if done():
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(delay, left))
    raise AssertionError("unreachable")  # pragma: no cover


async def wait_until_async(done: Callable[[], Awaitable[bool]], within: float) -> bool:
    """``wait_until`` on the event loop, for an async ``done``."""
    deadline = time.monotonic() + within
    for delay in delays():
        if await done():
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        await asyncio.sleep(min(delay, left))
    raise AssertionError("unreachable")  # pragma: no cover
