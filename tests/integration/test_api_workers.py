"""`lunch serve api` with several worker processes behind one port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import httpx
import psutil

from commands.settings import Settings
from ops.api_server import worker_count
from ops.processes import free_port


def test_worker_count_is_the_setting_or_one_per_cpu() -> None:
    """LUNCH_HTTP_WORKERS sets the api's processes; unset, there is one per CPU."""
    assert worker_count(Settings.from_env({"LUNCH_HTTP_WORKERS": "3"})) == 3
    assert worker_count(Settings.from_env({})) == (os.cpu_count() or 1)


def serving(database_url: str, redis_db_url: str) -> tuple[subprocess.Popen[bytes], list[Any]]:
    """`lunch serve api` with two workers, once it answers; the process and its workers."""
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
        return proc, [p for p in psutil.Process(proc.pid).children() if is_worker(p)]
    except BaseException:
        proc.kill()
        proc.wait(30)
        raise


def is_worker(process: Any) -> bool:
    """A live uvicorn worker (a child that has just exited is a zombie, not a worker)."""
    try:
        return "spawn_main" in " ".join(process.cmdline())
    except psutil.Error:
        return False


def gone(workers: list[Any]) -> bool:
    return not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)


def test_two_workers_answer_on_one_port(database_url: str, redis_db_url: str) -> None:
    """With LUNCH_HTTP_WORKERS=2 two processes serve the api's port and both stop on SIGTERM."""
    proc, workers = serving(database_url, redis_db_url)
    try:
        assert len(workers) == 2
    finally:
        proc.terminate()
        proc.wait(30)
    assert gone(workers)


def test_workers_end_when_the_api_is_killed_with_sigkill(
    database_url: str, redis_db_url: str
) -> None:
    """SIGKILL of `lunch serve api` leaves no worker serving its port behind."""
    proc, workers = serving(database_url, redis_db_url)
    try:
        assert len(workers) == 2
    finally:
        proc.kill()
        proc.wait(30)
    deadline = time.monotonic() + 30
    while not gone(workers):
        if time.monotonic() > deadline:
            for worker in workers:
                worker.kill()
            raise AssertionError("a worker outlived the api it served")
        time.sleep(0.2)
