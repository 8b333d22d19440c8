"""`lunch serve api` with several worker processes behind one port."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import psutil

from commands.settings import Settings
from ops.api_server import worker_count
from ops.processes import free_port


def test_worker_count_is_the_setting_or_one_per_cpu() -> None:
    """LUNCH_HTTP_WORKERS sets the api's processes; unset, there is one per CPU."""
    assert worker_count(Settings.from_env({"LUNCH_HTTP_WORKERS": "3"})) == 3
    assert worker_count(Settings.from_env({})) == (os.cpu_count() or 1)


def test_two_workers_answer_on_one_port(database_url: str, redis_db_url: str) -> None:
    """With LUNCH_HTTP_WORKERS=2 two processes serve the api's port and both stop on SIGTERM."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_db_url,
        "LUNCH_HTTP_PORT": str(port),
        "LUNCH_HTTP_WORKERS": "2",
    }
    proc = subprocess.Popen([sys.executable, "-m", "ops.cli", "serve", "api"], env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/health/db", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the api did not answer"
                time.sleep(0.2)
        assert answer.status_code == 200
        workers = [
            p for p in psutil.Process(proc.pid).children() if "spawn_main" in " ".join(p.cmdline())
        ]
        assert len(workers) == 2
    finally:
        proc.terminate()
        proc.wait(30)
    assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)
