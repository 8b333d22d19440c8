"""Messages in flight: a key's in order, other keys not held up, positions saved in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from notifier.inflight import InFlight


async def test_a_held_key_holds_up_no_other_key_nor_its_own_order() -> None:
    """A's first message waits; B's, polled later, is handled meanwhile; A's second runs only
    after A's first; the position stops before the unfinished message."""
    inflight = InFlight()
    release = asyncio.Event()
    done: list[str] = []

    def job(name: str, wait: bool = False) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            if wait:
                await release.wait()
            done.append(name)

        return run

    inflight.add(0, 10, 100, "A", job("a1", wait=True))
    inflight.add(0, 11, 101, "A", job("a2"))
    inflight.add(0, 12, 102, "x", None)  # a message nobody handles
    inflight.add(1, 5, 103, "B", job("b1"))
    await asyncio.sleep(0.01)
    assert done == ["b1"]
    assert inflight.settled() == {1: (5, 103)}
    release.set()
    await asyncio.sleep(0.01)
    assert done == ["b1", "a1", "a2"]
    assert inflight.settled() == {0: (12, 102)}
    assert inflight.pending() == 0


async def test_a_failure_is_kept_and_stops_the_key() -> None:
    """A failing handler is reported; its key's next message is not run; no position passes."""
    inflight = InFlight()
    ran: list[str] = []

    async def boom() -> None:
        raise RuntimeError("database down")

    async def after() -> None:
        ran.append("after")

    inflight.add(0, 1, 1, "A", boom)
    inflight.add(0, 2, 2, "A", after)
    await asyncio.sleep(0.01)
    assert isinstance(inflight.failure, RuntimeError)
    assert ran == []
    assert inflight.settled() == {}
    with pytest.raises(RuntimeError, match="database down"):
        raise inflight.failure


async def test_a_forgotten_partition_saves_no_position() -> None:
    """After a partition is forgotten (revoked or read again), its handled messages give no
    position."""
    inflight = InFlight()
    inflight.add(0, 1, 1, "x", None)
    inflight.forget(0)
    assert inflight.settled() == {}
