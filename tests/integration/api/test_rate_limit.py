"""Rate limits are counted in Redis, per user on /api and per client address on /api/auth."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest
import redis
from litestar.testing import TestClient

from api.ratelimit import KEY_PREFIX, RateLimits
from tests.integration.api.conftest import EMPLOYEE, MANAGER, Clock, login
from tests.integration.api.office import seed

Make = Callable[..., TestClient[Any]]


def limited(make_client: Make, **limits: int) -> TestClient[Any]:
    return make_client(app_options={"rate_limits": RateLimits(**limits)})


def test_a_user_over_the_limit_gets_429_rate_limited_with_retry_after(
    make_client: Make, write_client: TestClient[Any]
) -> None:
    """A user over the limit gets 429 rate limited with retry after."""
    client = limited(make_client, per_user=3, window_seconds=60)
    headers = login(client, MANAGER)
    answers = [client.get("/api/me", headers=headers).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get("/api/me", headers=headers)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["x-request-id"]
    assert client.get("/health/db").status_code == 200
    assert client.get("/schema/openapi.json").status_code == 200


def forget_counts(redis_db_url: str) -> None:
    counters = redis.Redis.from_url(redis_db_url)
    for key in counters.keys(f"{KEY_PREFIX}:*"):
        counters.delete(key)
    counters.close()


def test_each_user_has_a_counter_of_their_own(
    make_client: Make, write_client: TestClient[Any], redis_db_url: str
) -> None:
    """Each user has a counter of their own."""
    seed(write_client, read_side=False)
    forget_counts(redis_db_url)
    client = limited(make_client, per_user=2)
    manager, employee = login(client, MANAGER), login(client, EMPLOYEE)
    assert [client.get("/api/me", headers=manager).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert client.get("/api/me", headers=employee).status_code == 200


def test_the_count_is_shared_by_every_api_replica(
    make_client: Make, write_client: TestClient[Any]
) -> None:
    """Two apps on one Redis count the same user's requests together."""
    first, second = limited(make_client, per_user=2), limited(make_client, per_user=2)
    headers = login(first, MANAGER)
    assert first.get("/api/me", headers=headers).status_code == 200
    assert second.get("/api/me", headers=headers).status_code == 200
    assert first.get("/api/me", headers=headers).status_code == 429
    assert second.get("/api/me", headers=headers).status_code == 429


def test_logging_in_is_limited_per_client_address(
    make_client: Make, write_client: TestClient[Any]
) -> None:
    """Logging in is limited per client address."""
    client = limited(make_client, auth_per_address=2, per_user=100)
    assert client.post("/api/auth/dev", json={"tg_id": MANAGER}).status_code == 200
    assert client.get("/api/auth/config").status_code == 200
    refused = client.post("/api/auth/dev", json={"tg_id": MANAGER})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) >= 1


def test_the_window_slides_and_the_log_expires(
    make_client: Make, write_client: TestClient[Any], redis_db_url: str, clock: Clock
) -> None:
    """A request leaves the count one window after it was made; Redis forgets idle logs."""
    client = limited(make_client, per_user=1, window_seconds=1)
    headers = login(client, MANAGER)
    assert client.get("/api/me", headers=headers).status_code == 200
    assert client.get("/api/me", headers=headers).status_code == 429
    counters = redis.Redis.from_url(redis_db_url)
    keys = counters.keys(f"{KEY_PREFIX}:*")
    assert keys
    assert all(0 < counters.pttl(key) <= 1000 for key in keys)
    clock.instant += dt.timedelta(seconds=1.001)
    assert client.get("/api/me", headers=headers).status_code == 200
    counters.close()


def test_requests_pass_unlimited_while_redis_is_down(
    make_client: Make, write_client: TestClient[Any], caplog: pytest.LogCaptureFixture
) -> None:
    """Redis down: no request fails because of the limiter, and the outage is logged once."""
    client = make_client(
        redis={"url": "redis://127.0.0.1:1/0"}, app_options={"rate_limits": RateLimits(per_user=1)}
    )
    with caplog.at_level(logging.WARNING, logger="lunch.api"):
        headers = login(client, MANAGER)
        answers = {client.get("/api/me", headers=headers).status_code for _ in range(5)}
    assert answers == {200}
    outages = [r for r in caplog.records if "rate limiting is off" in r.getMessage()]
    assert len(outages) == 1
