"""A read asks Redis once: the rate limiter's counter brings the caller's pending writes."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import redis
from litestar.testing import TestClient

from commands.settings import Settings
from tests.integration.api.conftest import EMPLOYEE, login
from tests.integration.api.office import seed
from tests.integration.api.test_orders import order_body


def sent_by_clients(url: str, action: Callable[[], None]) -> list[str]:
    """The commands clients sent to this Redis database while ``action`` ran (MONITOR,
    because the server may be shared: other databases and scripts' own calls left out)."""
    server = redis.Redis.from_url(url)
    db = server.connection_pool.connection_kwargs.get("db", 0)
    start, stop = f"start-{uuid.uuid4()}", f"stop-{uuid.uuid4()}"
    seen: list[str] = []
    started = threading.Event()

    def watch() -> None:
        with server.monitor() as monitor:
            recording = False
            for item in monitor.listen():
                command = str(item.get("command", ""))
                if start in command:
                    recording = True
                    started.set()
                elif stop in command:
                    return
                elif recording and item.get("db") == db and item.get("client_type") != "lua":
                    seen.append(command.split(" ", 1)[0].lower())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    while not started.is_set():
        server.echo(start)
        started.wait(0.05)
    try:
        action()
    finally:
        server.echo(stop)
        watcher.join(10)
        server.close()
    return seen


def test_a_read_with_nothing_pending_makes_one_redis_call(
    client: TestClient[Any], settings: Settings
) -> None:
    """my-orders without pending writes: the counter script only; after a write, the read
    learns of it from that same script and keeps it pending until it expires (every
    worker's cache of my orders checks against it), so still one call."""
    office = seed(client)
    employee = login(client, EMPLOYEE)
    client.get("/api/orders/mine", headers=employee)  # loads the script

    def read_nothing_pending() -> None:
        assert client.get("/api/orders/mine", headers=employee).json() == []

    assert sent_by_clients(settings.redis.url, read_nothing_pending) == ["evalsha"]

    placed = client.post("/api/orders", json=order_body(office), headers=employee)
    assert placed.status_code == 201, placed.text

    def read_own_write() -> None:
        mine = client.get("/api/orders/mine", headers=employee).json()
        assert [o["id"] for o in mine] == [placed.json()["id"]]

    assert sent_by_clients(settings.redis.url, read_own_write) == ["evalsha"]
