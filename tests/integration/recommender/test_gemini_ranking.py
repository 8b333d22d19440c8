"""Ranking a batch through the key pool with the real google-genai client and a fake Gemini."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis

from recommender.gemini import Gemini
from recommender.keys import KeyPool, fingerprint
from recommender.model import Candidate, MenuDish
from recommender.prompt import Entry, entries
from recommender.ranking import rank_batch
from tests.fakes.gemini import RETRY_DELAY_SECONDS, Behaviour, FakeGemini, fake_gemini

NOW = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)
SCRIPT = {
    "ok-1": Behaviour.OK,
    "ok-2": Behaviour.OK,
    "limited": Behaviour.RATE_LIMITED,
    "invalid": Behaviour.INVALID,
    "forbidden": Behaviour.FORBIDDEN,
    "broken": Behaviour.SERVER_ERROR,
    "slow": Behaviour.SLOW,
    "malformed": Behaviour.MALFORMED,
    "inventive": Behaviour.UNKNOWN_IDS,
}


def now() -> dt.datetime:
    return NOW


def batch() -> list[Entry]:
    def candidate(n: int) -> Candidate:
        dish = MenuDish(
            cafe_id="cafe",
            cafe_name="Уют",
            dish_id=f"dish-{n}",
            name=f"Блюдо {n}",
            category="main",
            combo_price=35000,
        )
        return Candidate(dish=dish, times_ordered=0, days_since_last=None, score=0.0)

    return entries([(2001, "ru", [candidate(1), candidate(2)]), (2002, "en", [candidate(3)])])


@pytest.fixture
def fake() -> Iterator[FakeGemini]:
    with fake_gemini(SCRIPT, slow_seconds=120.0) as server:
        yield server


@pytest.fixture
async def redis(redis_db_url: str) -> AsyncIterator[Redis]:
    async with Redis.from_url(redis_db_url) as client:
        yield client


@pytest.fixture
async def gemini(fake: FakeGemini) -> AsyncIterator[Gemini]:
    client = Gemini("gemini-2.5-flash", fake.base_url, timeout=5.0)
    yield client
    await client.close()


async def test_an_answer_ranks_each_employee(
    redis: Redis, gemini: Gemini, fake: FakeGemini
) -> None:
    """One request ranks the whole batch; the request asks for JSON of the schema."""
    found = await rank_batch(KeyPool(redis, ("ok-1",), 10), gemini, batch(), now)
    assert [i.dish_id for i in found[2001]] == ["dish-2", "dish-1"]
    assert found[2001][0].reason == "[ru] Блюдо 2 fits today"
    assert found[2002][0].reason == "[en] Блюдо 3 fits today"
    (call,) = fake.calls
    assert call.model == "gemini-2.5-flash"
    config = call.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseJsonSchema"]["required"] == ["employees"]


async def test_rate_limited_key_cools_down_and_the_next_key_answers(
    redis: Redis, gemini: Gemini, fake: FakeGemini
) -> None:
    """429 RESOURCE_EXHAUSTED: that key rests for the retry delay; the next key serves."""
    pool = KeyPool(redis, ("limited", "ok-1"), 10)
    assert await rank_batch(pool, gemini, batch(), now)
    rest = await redis.pttl(f"recommender:key:{fingerprint('limited')}:cooling")
    assert await rank_batch(pool, gemini, batch(), now)
    assert len(fake.calls_with("limited")) == 1
    assert len(fake.calls_with("ok-1")) == 2
    # The retry delay, not the hours until the quota resets (slack for a loaded machine).
    assert (RETRY_DELAY_SECONDS - 10) * 1000 < rest <= RETRY_DELAY_SECONDS * 1000


@pytest.mark.parametrize(
    ("key", "reason"), [("invalid", "400 API_KEY_INVALID"), ("forbidden", "403 PERMISSION_DENIED")]
)
async def test_rejected_key_is_disabled_for_good(
    redis: Redis, gemini: Gemini, fake: FakeGemini, key: str, reason: str
) -> None:
    """An invalid or forbidden key is tried once, disabled with its reason, never again."""
    pool = KeyPool(redis, (key, "ok-1"), 10)
    for _ in range(3):
        assert await rank_batch(pool, gemini, batch(), now)
    assert len(fake.calls_with(key)) == 1
    states = await pool.states(NOW)
    assert (states[0].state, states[0].reason) == ("disabled", reason)


async def test_rotation_at_the_cap_then_fallback(
    redis: Redis, gemini: Gemini, fake: FakeGemini
) -> None:
    """With a cap of one, each key serves one batch; the third batch falls back unasked."""
    pool = KeyPool(redis, ("ok-1", "ok-2"), 1)
    results = [await rank_batch(pool, gemini, batch(), now) for _ in range(3)]
    assert [bool(r) for r in results] == [True, True, False]
    assert [c.key for c in fake.calls] == ["ok-1", "ok-2"]


async def test_all_keys_unusable_falls_back(
    redis: Redis, gemini: Gemini, fake: FakeGemini, caplog: pytest.LogCaptureFixture
) -> None:
    """When every key is rate limited or rejected, the batch gets nothing (→ fallback), later
    batches do not knock again, and the logs name keys only by fingerprint."""
    caplog.set_level(logging.INFO)
    pool = KeyPool(redis, ("limited", "invalid", "forbidden"), 10)
    assert await rank_batch(pool, gemini, batch(), now) == {}
    assert await rank_batch(pool, gemini, batch(), now) == {}
    assert sorted(c.key for c in fake.calls) == ["forbidden", "invalid", "limited"]
    logged = [(r.getMessage(), getattr(r, "key", None)) for r in caplog.records]
    assert ("gemini key disabled", fingerprint("invalid")) in logged
    assert ("gemini key cooling down", fingerprint("limited")) in logged
    assert not any(k in repr(vars(r)) for r in caplog.records for k in ("'limited'", "'invalid'"))


@pytest.mark.parametrize("key", ["broken", "slow", "malformed"])
async def test_failures_fall_back_without_spending_other_keys(
    redis: Redis, gemini: Gemini, fake: FakeGemini, key: str
) -> None:
    """A server error, a timeout or a malformed answer ends the batch with the fallback."""
    pool = KeyPool(redis, (key, "ok-1"), 10)
    assert await rank_batch(pool, gemini, batch(), now) == {}
    assert [c.key for c in fake.calls] == [key]


async def test_unknown_dish_ids_are_dropped(redis: Redis, gemini: Gemini, fake: FakeGemini) -> None:
    """Dish ids Gemini invents never reach the employee."""
    found = await rank_batch(KeyPool(redis, ("inventive",), 10), gemini, batch(), now)
    assert [i.dish_id for i in found[2001]] == ["dish-2", "dish-1"]
