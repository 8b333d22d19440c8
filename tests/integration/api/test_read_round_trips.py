"""A read asks Redis once: the rate limiter's counter brings the caller's pending writes."""

from __future__ import annotations

from typing import Any

import redis
from litestar.testing import TestClient

from api import freshness
from commands.settings import Settings
from tests.integration.api.conftest import EMPLOYEE, login
from tests.integration.api.office import seed
from tests.integration.api.test_orders import order_body


def commands_since_reset(server: redis.Redis) -> dict[str, int]:
    """Calls per command since CONFIG RESETSTAT, the scripts' own calls included."""
    stats: dict[str, dict[str, Any]] = server.info("commandstats")
    calls = {name.removeprefix("cmdstat_"): int(s["calls"]) for name, s in stats.items()}
    calls.pop("config|resetstat", None)
    return calls


# The counter script: INCR and PTTL of the counter, HGETALL of each pending-writes hash.
COUNTER_SCRIPT = {"evalsha": 1, "incr": 1, "pttl": 1, "hgetall": len(freshness.PREFETCHED)}


def test_a_read_with_nothing_pending_makes_one_redis_call(
    client: TestClient[Any], settings: Settings
) -> None:
    """my-orders without pending writes: the counter script only; after a write, the read
    still reads the pending write from that script, waits for it, then forgets it."""
    office = seed(client)
    employee = login(client, EMPLOYEE)
    client.get("/api/orders/mine", headers=employee)  # loads the script
    server = redis.Redis.from_url(settings.redis_url)
    try:
        server.config_resetstat()
        assert client.get("/api/orders/mine", headers=employee).json() == []
        assert commands_since_reset(server) == COUNTER_SCRIPT

        placed = client.post("/api/orders", json=order_body(office), headers=employee)
        assert placed.status_code == 201, placed.text
        server.config_resetstat()
        mine = client.get("/api/orders/mine", headers=employee).json()
        assert [o["id"] for o in mine] == [placed.json()["id"]]
        # ... plus the script that forgets the write once seen applied (HGET, HDEL).
        assert commands_since_reset(server) == {**COUNTER_SCRIPT, "eval": 1, "hget": 1, "hdel": 1}
    finally:
        server.close()
