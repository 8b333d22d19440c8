"""Services the orders do not need, failing while orders flow: every Gemini key refused
(recommendations fall back, nothing answers 500) and Redis down (rate limits fail open,
recommendations fall back, read-your-writes answers at once without an error)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ops.embedded import EmbeddedRedis
from tests.fakes.gemini import Behaviour, fake_gemini
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_thread import FakeTelegramThread
from tests.faults.flow import Case, day_end, open_office, orders_flow
from tests.faults.harness import (
    ROOT,
    Component,
    answers,
    base_url,
    stack_of,
    started,
    wait_until,
    with_bot,
)

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]
EMPLOYEES = 45
LUNCH = (sys.executable, "-m", "ops.cli")
Telegram = tuple[FakeTelegramThread, FakeTelegram]
FAILING_KEYS = {
    "key-rate-limited": Behaviour.RATE_LIMITED,
    "key-invalid": Behaviour.INVALID,
    "key-forbidden": Behaviour.FORBIDDEN,
    "key-server-error": Behaviour.SERVER_ERROR,
    "key-malformed": Behaviour.MALFORMED,
}


def token(client: httpx.Client, tg_id: int) -> dict[str, str]:
    answer = client.post("/api/auth/dev", json={"tg_id": tg_id})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def recommendations(case: Case) -> list[dict[str, Any]]:
    """Every employee asks for recommendations; each answer must be 200."""
    found = []
    for tg_id in case.staff:
        answer = case.client.get("/api/me/recommendations", headers=token(case.client, tg_id))
        assert answer.status_code == 200, answer.text
        found.append(answer.json())
    return found


def test_every_gemini_key_failing_falls_back_and_nothing_500s(
    stack_env: dict[str, str], telegram: Telegram, tmp_path: Path
) -> None:
    """`lunch recommender run-once` with five keys failing five ways while orders flow:
    it exits 0 having tried each key, every employee gets the fallback, orders lose nothing."""
    with fake_gemini(FAILING_KEYS) as gemini:
        env = with_bot(stack_env, telegram[1])
        env |= {"GEMINI_API_KEYS": ",".join(FAILING_KEYS), "GEMINI_BASE_URL": gemini.base_url}
        components = started(stack_of(env, tmp_path))
        ran: list[subprocess.CompletedProcess[str]] = []

        def strike() -> None:
            ran.append(
                subprocess.run(
                    [*LUNCH, "recommender", "run-once", "--data-dir", str(tmp_path / "data")],
                    cwd=ROOT,
                    env={**os.environ, **env},
                    capture_output=True,
                    text=True,
                    timeout=300,
                    check=False,
                )
            )

        try:
            with httpx.Client(base_url=base_url(components), timeout=30) as client:
                case = open_office(client, telegram[0], EMPLOYEES)
                tally = orders_flow(case, strike)
                suggested = recommendations(case)
                day_end(
                    case,
                    components["api"].env,
                    tmp_path,
                    "every gemini key failing",
                    len(tally.accepted),
                    refused=len(tally.refused),
                    after_strike=tally.after_strike,
                    gemini_calls=len(gemini.calls),
                    keys_tried=len({c.key for c in gemini.calls}),
                    recommendations_200=len(suggested),
                    fallback=sum(a["source"] == "fallback" for a in suggested),
                )
        finally:
            for component in components.values():
                component.stop()
    assert ran[0].returncode == 0, ran[0].stderr[-2000:]
    assert "0 ranked by Gemini" in ran[0].stdout, ran[0].stdout
    assert {c.key for c in gemini.calls} <= set(FAILING_KEYS)
    assert {a["source"] for a in suggested} == {"fallback"}
    assert len(tally.accepted) == EMPLOYEES
    assert not tally.refused


@pytest.fixture
def redis() -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(None)
    server.start()
    yield server
    server.stop()


def burst(client: httpx.Client, headers: dict[str, str], count: int) -> list[int]:
    return [client.get("/api/orders/mine", headers=headers).status_code for _ in range(count)]


PER_USER = 20


def test_redis_down_while_orders_flow_degrades_without_an_error(
    stack_env: dict[str, str], redis: EmbeddedRedis, telegram: Telegram, tmp_path: Path
) -> None:
    """Redis stops a third of the way in and stays down: every order is accepted, the
    per-user limit fails open, each employee's own order reads back at once, and
    recommendations fall back."""
    env = with_bot({**stack_env, "REDIS_URL": redis.url}, telegram[1])
    components = started(stack_of(env, tmp_path))
    try:
        with httpx.Client(base_url=base_url(components), timeout=30) as client:
            case = open_office(client, telegram[0], EMPLOYEES)
            # The office is set up unlimited (its setup polls); then the api comes back with
            # a per-user limit low enough to meet.
            components["api"].stop()
            limited_env = {**components["api"].env, "LUNCH_RATE_LIMIT_PER_USER": str(PER_USER)}
            components["api"] = Component("api", limited_env, tmp_path)
            components["api"].start()
            wait_until(lambda: answers(base_url(components)), "the api with a limit")
            limited = burst(client, token(client, 2001), PER_USER + 5)  # not one of the staff
            tally = orders_flow(case, redis.stop)
            unlimited = burst(client, token(client, 2002), PER_USER + 5)
            own = [
                client.get("/api/orders/mine", headers=token(client, tg_id)) for tg_id in case.staff
            ]
            suggested = recommendations(case)
            day_end(
                case,
                components["api"].env,
                tmp_path,
                "redis down",
                len(tally.accepted),
                refused=len(tally.refused),
                after_strike=tally.after_strike,
                limited_before=limited.count(429),
                limited_while_down=unlimited.count(429),
                own_order_read_200=sum(r.status_code == 200 for r in own),
                own_order_seen=sum(any(o["date"] == case.day for o in r.json()) for r in own),
                recommendations_fallback=sum(a["source"] == "fallback" for a in suggested),
            )
    finally:
        for component in components.values():
            component.stop()
    assert 429 in limited, "the limit works while Redis is up"
    assert set(unlimited) == {200}, "and fails open while it is down"
    assert {r.status_code for r in own} == {200}
    assert {a["source"] for a in suggested} == {"fallback"}
    assert len(tally.accepted) == EMPLOYEES
    assert not tally.refused
