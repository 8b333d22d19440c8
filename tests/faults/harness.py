"""Real component processes (``lunch serve <name>``) over one test's slice of the services,
an office seeded through the API, and employees placing orders while a fault strikes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from ops.embedded import free_port
from tests.fakes.telegram import FakeTelegram
from tests.integration.api.conftest import MANAGER, login

ROOT = Path(__file__).resolve().parents[2]
FIRST_EMPLOYEE = 500_000


def next_weekday(now: dt.datetime) -> dt.date:
    """A served day (Monday to Friday) after today in Moscow: its cutoff is still ahead."""
    day = now.astimezone(ZoneInfo("Europe/Moscow")).date() + dt.timedelta(days=1)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    return day


class Component:
    """One ``lunch serve <name>`` child process, restartable, killable with SIGKILL."""

    def __init__(
        self, name: str, env: dict[str, str], log_dir: Path, label: str | None = None
    ) -> None:
        self.name, self.env = name, env
        self.label = label or name
        self.log_path = log_dir / f"{self.label}.log"
        self.log = self.log_path.open("ab")
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ops.cli", "serve", self.name],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
            stdin=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, nothing is flushed."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


STACK = ("relay", "projector", "api", "notifier")


def stack_of(
    env: dict[str, str], log_dir: Path, names: tuple[str, ...] = STACK
) -> dict[str, Component]:
    """Components by name over the test's services; the notifier talks to the fake Bot API
    named by TELEGRAM_API_BASE in ``env``."""
    port = free_port()
    full = {
        **os.environ,
        **env,
        "LUNCH_DEV_LOGIN": "1",
        "LUNCH_MANAGERS": str(MANAGER),
        "LUNCH_TIMEZONE": "Europe/Moscow",
        "LUNCH_HTTP_PORT": str(port),
        "JWT_SECRET": "faults-secret-of-at-least-32-bytes!",
        "LUNCH_RATE_LIMIT_PER_USER": "0",
    }
    return {name: Component(name, full, log_dir) for name in names}


def wait_until(probe: Callable[[], bool], what: str, within: float = 90.0) -> None:
    deadline = time.monotonic() + within
    while not probe():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health/db", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Tally:
    """What the clients saw: accepted orders (201, or order_exists after a lost answer)."""

    accepted: set[int] = field(default_factory=set)
    refused: dict[int, int] = field(default_factory=dict)
    lost_answers: int = 0
    after_strike: int = 0  # accepted after the fault struck


def hire(client: httpx.Client, count: int) -> list[int]:
    rows = "".join(f"{FIRST_EMPLOYEE + i},Сотрудник {i},HQ\n" for i in range(count))
    manager = login(client, MANAGER)
    imported = client.post(
        "/api/employees/import",
        content=f"tg_id,name,office\n{rows}".encode(),
        headers={**manager, "Content-Type": "text/csv"},
    )
    assert imported.json()["added"] == count, imported.text
    return [FIRST_EMPLOYEE + i for i in range(count)]


def place(client: httpx.Client, tg_id: int, body: Mapping[str, object], tally: Tally) -> None:
    """Place one order, retrying through connection failures until the API answers."""
    lost = False
    for _ in range(600):
        try:
            token = client.post("/api/auth/dev", json={"tg_id": tg_id}, timeout=10)
            if token.status_code != 200:
                raise httpx.TransportError(f"login {token.status_code}")
            headers = {"Authorization": f"Bearer {token.json()['token']}"}
            answer = client.post("/api/orders", json=body, headers=headers, timeout=10)
        except httpx.TransportError:
            tally.lost_answers += 1
            lost = True
            time.sleep(0.1)
            continue
        if answer.status_code == 503:
            time.sleep(0.1)
            continue
        code = answer.json().get("error", {}).get("code") if answer.status_code >= 400 else None
        if answer.status_code == 201 or (code == "order_exists" and lost):
            tally.accepted.add(tg_id)
        else:
            tally.refused[tg_id] = answer.status_code
        return
    raise AssertionError(f"no answer for {tg_id}")


def started(components: dict[str, Component]) -> dict[str, Component]:
    """Start the stack's components in order (others in ``components`` are left to the test)."""
    for name in STACK:
        if name in components:
            components[name].start()
            time.sleep(1)  # relay and projector both create a shared table on start
    return components


def with_bot(env: dict[str, str], fake: FakeTelegram) -> dict[str, str]:
    """``env`` with the notifier pointed at the fake Bot API."""
    return {**env, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE": fake.base}


def base_url(stack: dict[str, Component]) -> str:
    return f"http://127.0.0.1:{stack['api'].env['LUNCH_HTTP_PORT']}"
