"""A fresh `lunch run` for the service benchmarks: its own data directory, port and JWT secret.

Tokens are minted with the same secret the api verifies, so clients need no login round
trips (which have their own, stricter rate limit) and each client can act as many employees.
"""

from __future__ import annotations

import datetime as dt
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from api.auth import Tokens, User
from ops.processes import free_port
from ops.stackenv import read_stack_env

SECRET = "bench-secret-not-for-production-0123456789"
UP_SECONDS = 240.0
SETTLE_SECONDS = 120.0
SETTLED_CORES = 0.25
"""`lunch run` answers before every component has finished starting (the notifier alone
spends seconds of CPU importing aiogram): a load is started only once the stack's
processes use less than this much CPU over a second."""
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Stack:
    url: str
    proc: subprocess.Popen[bytes]
    data_dir: Path
    log_path: Path
    services: dict[str, str] = field(default_factory=dict)
    tokens: Tokens = field(default_factory=lambda: Tokens(SECRET, now=_now))

    @property
    def database_url(self) -> str:
        return self.services["DATABASE_URL"]

    def token(self, tg_id: int, role: str = "employee") -> str:
        return self.tokens.issue(User(tg_id=tg_id, name=f"Bench {tg_id}", office="HQ", role=role))

    def client(self, tg_id: int = 1001, role: str = "manager") -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token(tg_id, role)}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)

    def processes(self) -> list[psutil.Process]:
        """`lunch run` and every process under it (components and embedded servers)."""
        root = psutil.Process(self.proc.pid)
        found = [root, *root.children(recursive=True)]
        # pg_ctl daemonises PostgreSQL: find its postmaster by the pid file instead.
        for pid_file in self.data_dir.glob("**/postmaster.pid"):
            postmaster = psutil.Process(int(pid_file.read_text().split()[0]))
            found += [postmaster, *postmaster.children(recursive=True)]
        return found


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _wait_up(proc: subprocess.Popen[bytes], log_path: Path) -> str:
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + UP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if selector.select(timeout=1.0):
            line = proc.stdout.readline().decode()
            if line.startswith("Lunch is up: "):
                return line.removeprefix("Lunch is up: ").strip()
    raise RuntimeError(f"`lunch run` did not come up; its log: {log_path}")


def cpu_spent(stack: Stack) -> Iterator[tuple[psutil.Process, float]]:
    """Each live process of the stack with its user plus system CPU seconds so far."""
    for proc in stack.processes():
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        yield proc, times.user + times.system


def _cpu_total(stack: Stack) -> float:
    return sum(seconds for _, seconds in cpu_spent(stack))


def settle(stack: Stack) -> float:
    """Wait until the stack is quiet (see ``SETTLED_CORES``); the seconds it took."""
    started = time.monotonic()
    before = _cpu_total(stack)
    while time.monotonic() - started < SETTLE_SECONDS:
        time.sleep(1.0)
        now = _cpu_total(stack)
        if now - before < SETTLED_CORES:
            break
        before = now
    return time.monotonic() - started


@contextmanager
def running_stack(extra_env: dict[str, str] | None = None) -> Iterator[Stack]:
    """Start `lunch run` on a new data directory; stop it and remove the data afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix="lunch-bench-"))
    log_path = Path(tempfile.gettempdir()) / f"{data_dir.name}.log"
    env = {**os.environ, "JWT_SECRET": SECRET, **(extra_env or {})}
    for name in ("DATABASE_URL", "REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS"):
        env.pop(name, None)
    argv = [sys.executable, "-m", "ops.cli", "run", "--port", str(free_port())]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*argv, "--data-dir", str(data_dir)],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            start_new_session=True,
        )
    try:
        url = _wait_up(proc, log_path)
        stack = Stack(url, proc, data_dir, log_path, read_stack_env(data_dir))
        settle(stack)
        yield stack
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(90)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(data_dir, ignore_errors=True)
