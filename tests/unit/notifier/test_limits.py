"""Telegram's limits as sliding windows: never more than the limit in any window, and a
burst up to the limit goes at once."""

from __future__ import annotations

import asyncio

import pytest

from notifier.limits import SWEEP_AT, Limits, SlidingWindow


class Clock:
    """Virtual time: sleeping advances it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def most_in_any_window(times: list[float], period: float) -> int:
    return max(sum(1 for t in times if start <= t < start + period) for start in times)


async def test_burst_goes_at_once_and_the_rest_when_the_oldest_leaves() -> None:
    """50 sends at 30 per second: 30 at t=0, 20 at t=1, never 31 in one second."""
    clock = Clock()
    window = SlidingWindow(30, 1.0, clock=clock, sleep=clock.sleep)
    times: list[float] = []

    async def send() -> None:
        async with window.slot():
            times.append(clock())

    await asyncio.gather(*(send() for _ in range(50)))
    assert times == [0.0] * 30 + [1.0] * 20
    assert most_in_any_window(times, 1.0) == 30


async def test_spread_sends_never_exceed_the_window() -> None:
    """Sends arriving over time keep at most 3 in any 1 s, each as early as allowed."""
    clock = Clock()
    window = SlidingWindow(3, 1.0, clock=clock, sleep=clock.sleep)
    times: list[float] = []
    for arrival in (0.0, 0.25, 0.5, 0.75, 0.8, 2.5, 2.6):
        clock.now = max(clock.now, arrival)
        async with window.slot():
            times.append(clock())
    assert times == [0.0, 0.25, 0.5, 1.0, 1.25, 2.5, 2.6]
    assert most_in_any_window(times, 1.0) == 3


def test_a_window_needs_a_positive_limit() -> None:
    """A zero limit is refused rather than blocking forever."""
    with pytest.raises(ValueError, match="positive"):
        SlidingWindow(0, 1.0)


async def test_a_window_counts_from_when_the_call_returned() -> None:
    """A slow call keeps its place until it returns, and the period runs from then: the
    next send never reaches Telegram within a period of the one before."""
    clock = Clock()
    window = SlidingWindow(1, 1.0, clock=clock, sleep=clock.sleep)
    starts: list[float] = []

    async def send(duration: float) -> None:
        async with window.slot():
            starts.append(clock())
            await clock.sleep(duration)

    await asyncio.gather(send(0.5), send(0.0))
    assert starts == [0.0, 1.5]


async def test_a_group_waits_for_its_own_window_only() -> None:
    """A group past its limit waits; a private chat and another group do not."""
    limits = Limits(per_second=100, per_group=1, group_period=60)

    async def send(chat_id: int) -> None:
        async with limits.slot(chat_id):
            pass

    await send(-1)
    held = asyncio.ensure_future(send(-1))
    await asyncio.wait_for(send(-2), 1)
    await asyncio.wait_for(send(42), 1)
    assert not held.done()
    held.cancel()


async def test_idle_group_windows_are_forgotten_in_sweeps() -> None:
    """Windows of groups no longer sending are dropped once many have been opened, not
    looked through at each new group."""
    limits = Limits(per_second=1000, group_period=0.01)

    async def send(chat_id: int) -> None:
        async with limits.slot(chat_id):
            pass

    for chat_id in range(-1, -SWEEP_AT - 1, -1):
        await send(chat_id)
    assert len(limits.groups) == SWEEP_AT
    await asyncio.sleep(0.02)
    await send(-10_000)
    assert list(limits.groups) == [-10_000]
    assert limits.sweep_at == SWEEP_AT
