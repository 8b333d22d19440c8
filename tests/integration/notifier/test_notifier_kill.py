"""A notifier killed with SIGKILL between sending a dispatch and recording it: the day is
shown in doubt, and the restarted notifier delivers it again marked as a repeat."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from psycopg_pool import ConnectionPool

from commands.service import LunchService
from commands.store.postgres import PostgresEventStore
from projections.reads.queries import Queries
from tests.fakes.telegram import FakeTelegram
from tests.integration.kafka_side import eventually
from tests.integration.notifier.office import CHAT, build_office, running, settings_for, stack

ROOT = Path(__file__).resolve().parents[3]


def start_notifier(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ops.cli", "serve", "notifier"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.timeout(300)
async def test_kill_between_send_and_record_ends_delivered_and_marked(
    store: PostgresEventStore, pool: ConnectionPool, stack_env: dict[str, str]
) -> None:
    """Kill -9 as the dispatch reaches Telegram: the attempt stays in doubt; after a restart
    the chat gets it once more, opening with the repeat notice, and it is recorded sent."""
    service = LunchService(store)
    queries = Queries(pool)
    async with FakeTelegram() as fake:
        env = {**stack_env, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE": fake.base}
        first = start_notifier(env)
        killed = asyncio.Event()

        async def kill_on_dispatch(chat_id: int, message: dict[str, Any]) -> None:
            if "orders for" in message["text"] and not killed.is_set():
                first.send_signal(signal.SIGKILL)
                killed.set()

        fake.on_send = kill_on_dispatch
        settings = settings_for(env)
        async with running(*stack(settings, store)):
            try:
                office = await asyncio.to_thread(build_office, service)
                await eventually(lambda: len(fake.texts(CHAT)) == 1, "the test message", 120)
                await asyncio.to_thread(office.close)
                await asyncio.wait_for(killed.wait(), 120)
                await asyncio.to_thread(first.wait)
            finally:
                if first.poll() is None:
                    first.kill()
            assert office.date.isoformat() in service.cafe(office.cafe_id).in_doubt
            await eventually(
                lambda: [d.status for d in queries.dispatches(office.cafe_id)] == ["in_doubt"],
                "the dispatch log to show it in doubt",
            )

            second = start_notifier(env)
            try:
                await eventually(
                    lambda: [d.status for d in queries.dispatches(office.cafe_id)] == ["sent"],
                    "the repeat to be recorded",
                    120,
                )
            finally:
                second.send_signal(signal.SIGTERM)
                await asyncio.to_thread(second.wait, 30)
        first_copy, repeat = [t for t in fake.texts(CHAT) if "orders for" in t]
        assert not first_copy.startswith("🔁")
        assert repeat.startswith("🔁 <b>Repeat of the ")
        assert repeat.split("\n", 2)[2] == first_copy
        state = service.cafe(office.cafe_id)
        assert state.in_doubt == {}
        assert state.dispatched[office.date.isoformat()] == "sent"
