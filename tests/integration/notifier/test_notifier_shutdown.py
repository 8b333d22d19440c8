"""`lunch serve notifier` stopped by SIGTERM in the middle of a burst of dispatches: it
closes everything it opened, in order, and exits promptly."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from psycopg_pool import ConnectionPool

from commands.store.postgres import PostgresEventStore
from tests.bench.dispatch_office import build, close_rows
from tests.fakes.telegram import FakeTelegram
from tests.integration.kafka_side import eventually
from tests.integration.notifier.office import running, settings_for, stack

ROOT = Path(__file__).resolve().parents[3]
CAFES = 40
EXIT_SECONDS = 10.0
CLOSED_STEPS = {
    "tasks",
    "writes",
    "calls",
    "event store",
    "bot session",
    "read pool",
    "pool",
    "threads",
}


def start_notifier(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "ops.cli", "serve", "notifier"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=log,
        )


def log_lines(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text().splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def the_line(lines: list[dict[str, Any]], msg: str) -> dict[str, Any]:
    (found,) = [line for line in lines if line["msg"] == msg]
    return found


@pytest.mark.timeout(300)
async def test_sigterm_mid_burst_closes_everything_and_exits_promptly(
    store: PostgresEventStore, pool: ConnectionPool, stack_env: dict[str, str], tmp_path: Path
) -> None:
    """SIGTERM while forty closures are being sent: the notifier logs the start and the end
    of stopping, closes its tasks, write groups, event store, bot session, pools and
    threads each in time, leaves no thread of its own behind, and exits 0 within 10 s."""
    date = dt.datetime.now(dt.UTC).date()
    cafes, _ = await asyncio.to_thread(build, store, CAFES, 5, date)
    log_path = tmp_path / "notifier.log"
    async with FakeTelegram() as fake:
        env = {
            **stack_env,
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE": fake.base,
            "LUNCH_LOG_FORMAT": "json",
        }
        notifier = start_notifier(env, log_path)
        try:
            async with running(*stack(settings_for(env), store)):
                await eventually(
                    lambda: any(line["msg"] == "notifier.start" for line in log_lines(log_path)),
                    "the notifier to start",
                )
                closures = close_rows(cafes, date, dt.datetime.now(dt.UTC))
                await asyncio.to_thread(store.append, closures)
                await eventually(lambda: bool(fake.called("sendMessage")), "the first dispatch")
                signalled = time.monotonic()
                notifier.send_signal(signal.SIGTERM)
                code = await asyncio.to_thread(notifier.wait, EXIT_SECONDS)
                took = time.monotonic() - signalled
        finally:
            if notifier.poll() is None:
                notifier.kill()
    assert code == 0
    assert took < EXIT_SECONDS
    lines = log_lines(log_path)
    stopping = the_line(lines, "notifier.stopping")
    stopped = the_line(lines, "notifier.stopped")
    assert stopping["reason"] == "SIGTERM"
    assert set(stopping["steps"]) >= CLOSED_STEPS
    assert stopping["steps"][0] == "tasks"
    assert stopping["steps"][-1] == "threads"
    assert stopped["late"] == []
    assert stopped["threads"] == []
    assert not [line for line in lines if line["msg"] == "notifier.stop_failed"]
