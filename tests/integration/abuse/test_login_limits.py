"""Login limits that fit an office: a whole office behind one NAT address gets in, a flood of
failed logins does not, and no window boundary lets twice a limit through."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from litestar.testing import TestClient

from api.ratelimit import RateLimits
from tests.integration.abuse.test_initdata_abuse import FORGED, fields_of, signed
from tests.integration.api.conftest import EMPLOYEE, MANAGER, NOW, Clock, login

Make = Callable[..., TestClient[Any]]
OFFICE_SIZE = 500
FIRST_ID = 100_000


def genuine(tg_id: int, at: dt.datetime) -> str:
    return urlencode(signed(fields_of(user={"id": tg_id, "first_name": "E"}, auth_date=at)))


def forged(n: int) -> str:
    return list(FORGED.values())[n % len(FORGED)]


@pytest.fixture
def office_of_500(make_client: Make, write_client: TestClient[Any]) -> None:
    """500 employees in the directory (through the real import)."""
    rows = "".join(f"{FIRST_ID + i},Сотрудник {i},HQ\n" for i in range(OFFICE_SIZE))
    imported = write_client.post(
        "/api/employees/import",
        content=f"tg_id,name,office\n{rows}".encode(),
        headers={**login(write_client, MANAGER), "Content-Type": "text/csv"},
    )
    assert imported.json()["added"] == OFFICE_SIZE, imported.text


def test_500_employees_behind_one_address_all_log_in_within_a_minute(
    make_client: Make, office_of_500: None, clock: Clock
) -> None:
    """With the default limits, every one of 500 logins from one address in 60 s is 200."""
    client = make_client(app_options={"rate_limits": RateLimits()})
    answers: dict[int, int] = {}
    for i in range(OFFICE_SIZE):
        clock.instant = NOW + dt.timedelta(seconds=i * 59 / OFFICE_SIZE)
        raw = genuine(FIRST_ID + i, clock.instant)
        answers[i] = client.post("/api/auth/telegram", json={"init_data": raw}).status_code
    assert set(answers.values()) == {200}, {s: list(answers.values()).count(s) for s in answers}


def test_a_flood_of_failed_logins_from_one_address_is_throttled(
    make_client: Make, write_client: TestClient[Any], clock: Clock
) -> None:
    """After the failure budget (30 a minute), the address gets 429 until failures age out."""
    client = make_client(app_options={"rate_limits": RateLimits()})
    limit = RateLimits().auth_failures_per_address
    answers = [
        client.post("/api/auth/telegram", json={"init_data": forged(n)}).status_code
        for n in range(100)
    ]
    assert answers == [401] * limit + [429] * (100 - limit)
    refused = client.post("/api/auth/telegram", json={"init_data": genuine(EMPLOYEE, NOW)})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    clock.instant = NOW + dt.timedelta(seconds=60.001)
    again = client.post("/api/auth/dev", json={"tg_id": MANAGER})
    assert again.status_code == 200, again.text


def test_successful_logins_do_not_spend_the_failure_budget(
    make_client: Make, write_client: TestClient[Any]
) -> None:
    client = make_client(app_options={"rate_limits": RateLimits(auth_failures_per_address=2)})
    """Only failures count: ten good logins, one failure, and the next good one still passes."""
    ok = [client.post("/api/auth/dev", json={"tg_id": MANAGER}).status_code for _ in range(10)]
    assert set(ok) == {200}
    assert client.post("/api/auth/dev", json={"tg_id": 999}).status_code == 403
    assert client.post("/api/auth/dev", json={"tg_id": MANAGER}).status_code == 200


def test_no_burst_of_twice_the_limit_passes_at_a_window_boundary(
    make_client: Make, write_client: TestClient[Any], clock: Clock
) -> None:
    """One request opens a window, nine come at its end; just past its end only one more
    passes (a fixed window would let ten), because the window slides."""
    client = make_client(app_options={"rate_limits": RateLimits(per_user=10)})
    headers = login(client, MANAGER)

    def burst(at: float, n: int) -> int:
        clock.instant = NOW + dt.timedelta(seconds=at)
        return sum(client.get("/api/me", headers=headers).status_code == 200 for _ in range(n))

    assert burst(0, 1) == 1
    assert burst(59, 9) == 9
    assert burst(60.5, 10) == 1
    assert burst(118.9, 10) == 0
    assert burst(119.5, 10) == 9


def test_with_redis_down_login_limits_fail_open(
    make_client: Make, write_client: TestClient[Any], caplog: pytest.LogCaptureFixture
) -> None:
    """Redis down: no 429 and no 500, forged logins still 401, genuine ones 200."""
    client = make_client(
        redis={"url": "redis://127.0.0.1:1/0"},
        app_options={"rate_limits": RateLimits(auth_failures_per_address=2)},
    )
    with caplog.at_level(logging.WARNING, logger="lunch.api"):
        answers = [
            client.post("/api/auth/telegram", json={"init_data": forged(n)}).status_code
            for n in range(10)
        ]
        assert client.post("/api/auth/dev", json={"tg_id": MANAGER}).status_code == 200
    assert set(answers) == {401}
