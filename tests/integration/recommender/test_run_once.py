"""`lunch recommender run-once` over a real office, then `GET /api/me/recommendations`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
import redis
from psycopg_pool import ConnectionPool

from commands.store import EventStore
from ops.cli import main
from recommender.cache import cache_key
from recommender.keys import PREFIX, fingerprint, quota_day
from recommender.model import Recommendations
from tests.fakes.gemini import Behaviour, FakeGemini, fake_gemini
from tests.integration.recommender.client import api_settings, logged_in
from tests.integration.recommender.office import ACTIVE, IDLE, TIMEZONE, Office, build_office

CAP = 5


@pytest.fixture
def office(store: EventStore, pool: ConnectionPool) -> Office:
    return build_office(store, pool, dt.datetime.now(dt.UTC))


def run_once(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], data_dir: Path) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exited:
        main(["recommender", "run-once", "--data-dir", str(data_dir)])
    assert exited.value.code == 0


def cached(redis_url: str, tg_id: int) -> Recommendations | None:
    raw = redis.Redis.from_url(redis_url).get(cache_key(tg_id))
    return None if raw is None else msgspec.json.decode(raw, type=Recommendations)


@pytest.fixture
def env(database_url: str, redis_db_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_db_url,
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",  # not used by the recommender
        "LUNCH_TIMEZONE": TIMEZONE,
        "GEMINI_REQUESTS_PER_KEY": str(CAP),
        "GEMINI_API_KEYS": "",
    }


@pytest.fixture
def three_keys() -> Iterator[FakeGemini]:
    script = {
        "key-limited": Behaviour.RATE_LIMITED,
        "key-invalid": Behaviour.INVALID,
        "key-fine": Behaviour.OK,
    }
    with fake_gemini(script) as fake:
        yield fake


def test_three_keys_one_fine_give_gemini_suggestions(  # noqa: PLR0913, PLR0917 - whole stack
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    env: dict[str, str],
    office: Office,
    three_keys: FakeGemini,
    store: EventStore,
    pool: ConnectionPool,
) -> None:
    """First key 429, second invalid, third fine: every active employee gets Gemini's ranking,
    the route serves it with source gemini, the failing keys were tried once, none over cap."""
    keys = "key-limited,key-invalid,key-fine"
    run_once(
        monkeypatch,
        {**env, "GEMINI_API_KEYS": keys, "GEMINI_BASE_URL": three_keys.base_url},
        tmp_path,
    )

    for tg_id in ACTIVE:
        found = cached(env["REDIS_URL"], tg_id)
        assert found is not None
        assert found.source == "gemini"
        assert found.items
        assert all(i.reason.startswith("[ru] ") for i in found.items)
        assert all(i.cafe_id == office.cafe_id for i in found.items)
    assert cached(env["REDIS_URL"], IDLE) is None
    assert len(three_keys.calls_with("key-limited")) == 1
    assert len(three_keys.calls_with("key-invalid")) == 1
    assert len(three_keys.calls_with("key-fine")) == 1  # three employees fit in one request
    sync = redis.Redis.from_url(env["REDIS_URL"])
    day = quota_day(dt.datetime.now(dt.UTC))
    for key in keys.split(","):
        assert int(sync.get(f"{PREFIX}{fingerprint(key)}:used:{day}") or 0) <= CAP

    settings = api_settings(env["DATABASE_URL"], env["REDIS_URL"])
    with logged_in(store, pool, settings, ACTIVE[0]) as client:
        answer = client.get("/api/me/recommendations")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["source"] == "gemini"
    assert body["items"] == msgspec.to_builtins(cached(env["REDIS_URL"], ACTIVE[0]).items)  # type: ignore[union-attr]


@pytest.mark.parametrize("keys", ["", "key-invalid,key-limited"])
def test_no_usable_key_gives_everyone_the_fallback(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    env: dict[str, str],
    office: Office,
    three_keys: FakeGemini,
    keys: str,
) -> None:
    """No keys, or only failing ones: every active employee still gets fallback suggestions,
    and a failing key is tried once."""
    run_once(
        monkeypatch,
        {**env, "GEMINI_API_KEYS": keys, "GEMINI_BASE_URL": three_keys.base_url},
        tmp_path,
    )

    for tg_id in ACTIVE:
        found = cached(env["REDIS_URL"], tg_id)
        assert found is not None
        assert found.source == "fallback"
        assert found.items
        assert all(i.cafe_id == office.cafe_id for i in found.items)
    assert sorted(c.key for c in three_keys.calls) == sorted(k for k in keys.split(",") if k)
