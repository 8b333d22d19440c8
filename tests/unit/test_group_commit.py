"""Group commit: commands arriving while a group is written go out together as the next."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence

import pytest

from commands.group_commit import GroupCommit


class Recorder:
    """An execute_many that records its groups and can hold the first one until released."""

    def __init__(self, hold_first: bool = False) -> None:
        self.groups: list[list[str]] = []
        self.release = threading.Event()
        self.entered = threading.Event()
        if not hold_first:
            self.release.set()

    def __call__(self, commands: Sequence[str]) -> list[str | Exception]:
        self.groups.append(list(commands))
        self.entered.set()
        self.release.wait(10)
        return [ValueError(c) if c.startswith("bad") else c.upper() for c in commands]


async def test_a_lone_command_is_written_at_once() -> None:
    """With nothing else waiting, a command is its own group and gets its own result."""
    recorder = Recorder()
    group = GroupCommit(recorder)
    assert await group.run("a") == "A"
    assert recorder.groups == [["a"]]


async def test_commands_arriving_during_a_write_form_the_next_group() -> None:
    """While one group is written, later commands wait and then go out in one group."""
    recorder = Recorder(hold_first=True)
    group = GroupCommit(recorder)
    first = asyncio.create_task(group.run("a"))
    await asyncio.to_thread(recorder.entered.wait, 10)
    later = [asyncio.create_task(group.run(c)) for c in "bcde"]
    await asyncio.sleep(0.01)
    recorder.release.set()
    assert await first == "A"
    assert [await t for t in later] == ["B", "C", "D", "E"]
    assert recorder.groups == [["a"], ["b", "c", "d", "e"]]


async def test_a_refused_command_fails_alone() -> None:
    """A command answered with an error raises in its own caller; the others succeed."""
    recorder = Recorder(hold_first=True)
    group = GroupCommit(recorder)
    first = asyncio.create_task(group.run("a"))
    await asyncio.to_thread(recorder.entered.wait, 10)
    ok, bad = asyncio.create_task(group.run("b")), asyncio.create_task(group.run("bad"))
    await asyncio.sleep(0.01)
    recorder.release.set()
    await first
    assert await ok == "B"
    with pytest.raises(ValueError, match="bad"):
        await bad
    assert recorder.groups[1] == ["b", "bad"]


async def test_groups_are_bounded() -> None:
    """No group holds more than max_group commands."""
    recorder = Recorder(hold_first=True)
    group = GroupCommit(recorder, max_group=2)
    first = asyncio.create_task(group.run("a"))
    await asyncio.to_thread(recorder.entered.wait, 10)
    later = [asyncio.create_task(group.run(c)) for c in "bcd"]
    await asyncio.sleep(0.01)
    recorder.release.set()
    await asyncio.gather(first, *later)
    assert recorder.groups == [["a"], ["b", "c"], ["d"]]


async def test_a_failing_write_fails_each_command_of_its_group() -> None:
    """If execute_many itself raises (database down), every caller of that group gets it."""

    def broken(commands: Sequence[str]) -> list[str | Exception]:
        raise ConnectionError("database down")

    group: GroupCommit[str, str] = GroupCommit(broken)
    results = await asyncio.gather(group.run("a"), group.run("b"), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)


async def test_drained_waits_for_the_groups_being_written_and_no_longer_than_asked() -> None:
    """``drained`` returns at once when nothing is written, after the last group when one
    is, and after ``within`` seconds when the writes take longer."""
    await GroupCommit(Recorder()).drained(5)
    recorder = Recorder(hold_first=True)
    group = GroupCommit(recorder)
    first = asyncio.ensure_future(group.run("a"))
    await asyncio.to_thread(recorder.entered.wait, 10)
    await asyncio.wait_for(group.drained(0.05), 1)
    assert not first.done()
    waiting = asyncio.ensure_future(group.drained(10))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    recorder.release.set()
    await asyncio.wait_for(waiting, 5)
    assert first.done()
    assert await first == "A"


async def test_groups_run_in_the_thread_runner_given() -> None:
    """Given ``in_thread``, each group's blocking call runs through it (the notifier's own
    executor), not anyio's worker threads."""
    recorder = Recorder()
    threads: list[str] = []

    async def in_thread(call: Callable[[], Sequence[str | Exception]]) -> Sequence[str | Exception]:
        def named() -> Sequence[str | Exception]:
            threads.append(threading.current_thread().name)
            return call()

        return await asyncio.to_thread(named)

    group = GroupCommit(recorder, in_thread=in_thread)
    assert await group.run("a") == "A"
    assert len(threads) == 1
    assert not threads[0].startswith("AnyIO")
