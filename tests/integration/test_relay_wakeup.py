"""The idle relay wakes on the store's commit notification, not on a poll."""

from __future__ import annotations

import asyncio
import logging
import time

import psycopg
import pytest

from commands.store import written_signal
from commands.store.postgres import PostgresEventStore
from projections.engine import relay_wakeup
from projections.engine.relay_wakeup import Wakeup
from tests.bench.generate import fill

LONG = 30.0  # far longer than any wake-up below may take


def test_the_store_and_the_relay_name_one_channel() -> None:
    assert written_signal.CHANNEL == relay_wakeup.CHANNEL


@pytest.mark.timeout(60)
async def test_a_commit_wakes_the_waiting_relay(
    store: PostgresEventStore, database_url: str
) -> None:
    wakeup = Wakeup(database_url, poll_interval=LONG, fallback=LONG)
    await wakeup.listen()
    try:
        waiting = asyncio.create_task(wakeup.wait())
        await asyncio.sleep(0.2)
        assert not waiting.done(), "woke with nothing written"
        started = time.monotonic()
        await asyncio.to_thread(fill, store, 10)
        await asyncio.wait_for(waiting, 10)
        assert time.monotonic() - started < 10
    finally:
        await wakeup.close()


@pytest.mark.timeout(60)
async def test_without_a_write_the_wait_ends_at_the_fallback(database_url: str) -> None:
    wakeup = Wakeup(database_url, poll_interval=LONG, fallback=0.3)
    await wakeup.listen()
    try:
        started = time.monotonic()
        await wakeup.wait()
        assert 0.25 <= time.monotonic() - started < 5
    finally:
        await wakeup.close()


@pytest.mark.timeout(60)
async def test_a_relay_that_cannot_listen_polls(caplog: pytest.LogCaptureFixture) -> None:
    wakeup = Wakeup("postgresql://nobody@127.0.0.1:1/none", poll_interval=0.05, fallback=LONG)
    with caplog.at_level(logging.WARNING, logger="lunch.relay"):
        started = time.monotonic()
        await wakeup.wait()
        await wakeup.wait()  # not connecting again before RETRY_LISTEN_SECONDS
    assert time.monotonic() - started < 5
    assert caplog.messages.count("relay.listen_failed") == 1
    await wakeup.close()


def _commit(database_url: str) -> None:
    """What a commit that wrote events sends (the trigger is tested above)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"NOTIFY {relay_wakeup.CHANNEL}")


@pytest.mark.timeout(60)
async def test_a_wake_covers_every_commit_before_it_and_keeps_the_poll_pace(
    database_url: str,
) -> None:
    """Two commits wake the relay once; the next wake comes no sooner than the old poll
    interval after it, so under load batches stay as large as when it polled."""
    wakeup = Wakeup(database_url, poll_interval=0.5, fallback=0.3)
    await wakeup.listen()
    try:
        _commit(database_url)
        _commit(database_url)
        await wakeup.wait()
        woke = time.monotonic()
        _commit(database_url)
        await wakeup.wait()
        assert time.monotonic() - woke >= 0.45, "woke sooner than the poll interval"
        started = time.monotonic()
        await wakeup.wait()  # nothing left: the gap, then the fallback
        assert time.monotonic() - started >= 0.7
    finally:
        await wakeup.close()
