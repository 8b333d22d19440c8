"""`GET /api/me/recommendations`: the cache when there is one, else the fallback right away."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import msgspec
import pytest
import redis
from psycopg_pool import ConnectionPool
from redis.asyncio import Redis

from commands.store import EventStore
from recommender.cache import LANGUAGES, TTL_SECONDS, cache_key, store
from recommender.model import Item, Recommendations
from tests.integration.recommender.client import api_settings, logged_in
from tests.integration.recommender.office import ACTIVE, Office, build_office

ANNA = ACTIVE[0]
CACHED = Recommendations(
    generated_at=dt.datetime(2026, 11, 26, 0, 0, tzinfo=dt.UTC),
    source="gemini",
    items=[Item(cafe_id="c", dish_id="d", name="Вареники", reason="Давно не было")],
)


@pytest.fixture
def office(store: EventStore, pool: ConnectionPool) -> Office:
    return build_office(store, pool, dt.datetime.now(dt.UTC))


async def test_cache_entries_expire_after_a_day(redis_db_url: str) -> None:
    """What the nightly run stores lives for 24 hours."""
    async with Redis.from_url(redis_db_url) as client:
        await store(client, {ANNA: CACHED})
        assert TTL_SECONDS - 60 < await client.ttl(cache_key(ANNA)) <= TTL_SECONDS == 86400


def test_the_route_serves_the_cache(
    office: Office, store: EventStore, pool: ConnectionPool, database_url: str, redis_db_url: str
) -> None:
    """A cached answer is returned as it was stored."""
    redis.Redis.from_url(redis_db_url).set(cache_key(ANNA), msgspec.json.encode(CACHED))
    with logged_in(store, pool, api_settings(database_url, redis_db_url), ANNA) as client:
        answer = client.get("/api/me/recommendations")
    assert answer.status_code == 200, answer.text
    assert answer.json() == msgspec.to_builtins(CACHED)


def test_without_a_cache_entry_the_fallback_is_computed(
    office: Office, store: EventStore, pool: ConnectionPool, database_url: str, redis_db_url: str
) -> None:
    """Nothing cached: the deterministic ranking, in the language the request asks for, which
    is remembered for the nightly run."""
    with logged_in(store, pool, api_settings(database_url, redis_db_url), ANNA) as client:
        answer = client.get("/api/me/recommendations", headers={"Accept-Language": "en-GB,en"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["source"] == "fallback"
    assert body["items"]
    assert {i["cafe_id"] for i in body["items"]} == {office.cafe_id}
    assert all(i["reason"].startswith("Something new at") for i in body["items"])
    assert redis.Redis.from_url(redis_db_url).hget(LANGUAGES, str(ANNA)) == b"en"


def test_with_redis_down_the_route_still_answers(
    office: Office, store: EventStore, pool: ConnectionPool, database_url: str
) -> None:
    """Redis unreachable: the route answers with the deterministic set, in Russian by default."""
    down = "redis://127.0.0.1:9/0"
    with logged_in(store, pool, api_settings(database_url, down), ANNA) as client:
        answer = client.get("/api/me/recommendations")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["source"] == "fallback"
    assert body["items"]
    assert all(i["reason"].startswith("Что-то новое") for i in body["items"])


def test_the_route_cannot_reach_gemini() -> None:
    """Serving suggestions never loads the Gemini client at all."""
    probe = "import sys, api.app; print('google.genai' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
