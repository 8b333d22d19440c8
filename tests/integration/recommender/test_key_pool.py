"""The key pool against a real Redis: caps, rotation, cool-downs, disabled keys, concurrency."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis.asyncio import Redis

from recommender.keys import COUNTER_TTL, PREFIX, KeyPool, fingerprint, next_reset, quota_day

NOW = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)


async def test_rotation_at_the_cap(redis_db_url: str) -> None:
    """Each key serves up to the cap, then the next one does, then none."""
    async with Redis.from_url(redis_db_url) as redis:
        pool = KeyPool(redis, ("key-a", "key-b"), cap=2)
        got = [await pool.reserve(NOW) for _ in range(5)]
        assert [r.key if r else None for r in got] == ["key-a", "key-a", "key-b", "key-b", None]
        assert [(s.used_today, s.state) for s in await pool.states(NOW)] == [
            (2, "exhausted"),
            (2, "exhausted"),
        ]


async def test_the_counter_expires_and_the_next_quota_day_starts_afresh(redis_db_url: str) -> None:
    """The day's counter carries a TTL, and a new Pacific day counts from zero."""
    async with Redis.from_url(redis_db_url) as redis:
        pool = KeyPool(redis, ("key-a",), cap=1)
        assert await pool.reserve(NOW) is not None
        assert await pool.reserve(NOW) is None
        counter = f"{PREFIX}{fingerprint('key-a')}:used:{quota_day(NOW)}"
        assert 0 < await redis.ttl(counter) <= COUNTER_TTL
        assert await pool.reserve(next_reset(NOW)) is not None


async def test_cool_down_for_the_given_delay_or_until_the_reset(redis_db_url: str) -> None:
    """A rate-limited key rests for the API's retry delay, else until the quota resets."""
    async with Redis.from_url(redis_db_url) as redis:
        pool = KeyPool(redis, ("key-a", "key-b"), cap=10)
        await pool.cool_down(fingerprint("key-a"), NOW, 30.0)
        await pool.cool_down(fingerprint("key-b"), NOW, None)
        assert await pool.reserve(NOW) is None
        rest_a = await redis.pttl(f"{PREFIX}{fingerprint('key-a')}:cooling")
        rest_b = await redis.pttl(f"{PREFIX}{fingerprint('key-b')}:cooling")
        assert 20_000 < rest_a <= 30_000  # slack for a loaded machine
        until_reset = (next_reset(NOW) - NOW).total_seconds() * 1000
        assert until_reset - 20_000 < rest_b <= until_reset
        assert {s.state for s in await pool.states(NOW)} == {"cooling"}


async def test_a_disabled_key_is_skipped_for_good(redis_db_url: str) -> None:
    """A disabled key is never reserved again, and its state says why; the key never shows."""
    async with Redis.from_url(redis_db_url) as redis:
        pool = KeyPool(redis, ("secret-key-a", "secret-key-b"), cap=10)
        await pool.disable(fingerprint("secret-key-a"), "400 API_KEY_INVALID")
        got = {(await pool.reserve(NOW)).key for _ in range(5)}  # type: ignore[union-attr]
        assert got == {"secret-key-b"}
        states = await pool.states(NOW)
        assert (states[0].state, states[0].reason) == ("disabled", "400 API_KEY_INVALID")
        assert "secret" not in repr(states)
        assert not [k for k in await redis.keys("*") if b"secret" in k]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    keys=st.integers(min_value=1, max_value=4),
    cap=st.integers(min_value=1, max_value=12),
    workers=st.integers(min_value=1, max_value=80),
    clients=st.integers(min_value=1, max_value=4),
)
def test_concurrent_reservations_never_pass_the_cap(
    redis_db_url: str, keys: int, cap: int, workers: int, clients: int
) -> None:
    """Any number of concurrent reservations over several connections: no key goes past its
    cap, and every reservation that could succeed did."""
    names = tuple(uuid.uuid4().hex for _ in range(keys))

    async def run() -> list[str | None]:
        redises = [Redis.from_url(redis_db_url) for _ in range(clients)]
        pools = [KeyPool(r, names, cap) for r in redises]
        try:
            got = await asyncio.gather(*(pools[i % clients].reserve(NOW) for i in range(workers)))
            counts = await redises[0].mget(
                [f"{PREFIX}{fingerprint(n)}:used:{quota_day(NOW)}" for n in names]
            )
            assert all(int(c or 0) <= cap for c in counts)
            return [r.key if r else None for r in got]
        finally:
            for r in redises:
                await r.aclose()

    got = asyncio.run(run())
    used = [k for k in got if k is not None]
    assert len(used) == min(workers, keys * cap)
    assert all(used.count(n) <= cap for n in names)
