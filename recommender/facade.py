"""What the api asks of the recommender: an employee's suggestions, never waiting on Gemini.

The cached nightly answer when there is one; otherwise (no entry yet, or Redis down) the
deterministic ranking computed on the spot from the read models.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re

from psycopg_pool import ConnectionPool
from redis.asyncio import Redis
from redis.exceptions import RedisError

from recommender import cache
from recommender.fallback import ranking
from recommender.model import Recommendations
from recommender.plan import DEFAULT_LANGUAGE, plan

log = logging.getLogger("lunch.recommender")

REDIS_SECONDS = 1.0
_LANGUAGE = re.compile(r"^\s*([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]+)*\s*(?:;.*)?$")


def language_of(accept_language: str | None) -> str | None:
    """The first language of an Accept-Language header as a two-letter code."""
    first = (accept_language or "").split(",")[0]
    match = _LANGUAGE.match(first)
    return match.group(1).lower() if match else None


async def _cached(redis: Redis, tg_id: int, language: str | None) -> Recommendations | None:
    try:
        async with asyncio.timeout(REDIS_SECONDS):
            if language is not None:
                await cache.remember_language(redis, tg_id, language)
            return await cache.load(redis, tg_id)
    except (RedisError, OSError, TimeoutError) as e:
        log.warning("recommendation cache unavailable", extra={"error": repr(e)})
        return None


def deterministic(
    pool: ConnectionPool, tg_id: int, now: dt.datetime, timezone: str, language: str
) -> Recommendations:
    """The fallback ranking for one employee, from the read models (blocking)."""
    with pool.connection() as conn:
        (planned,) = plan(conn, [tg_id], now, timezone, {tg_id: language})
    return Recommendations(
        generated_at=now, source="fallback", items=ranking(planned.candidates, language)
    )


async def recommendations_for(
    redis: Redis,
    pool: ConnectionPool,
    tg_id: int,
    *,
    now: dt.datetime,
    timezone: str,
    accept_language: str | None = None,
) -> Recommendations:
    """The employee's suggestions: cached if there are any, else the fallback right now."""
    language = language_of(accept_language)
    found = await _cached(redis, tg_id, language)
    if found is not None:
        return found
    return await asyncio.to_thread(
        deterministic, pool, tg_id, now, timezone, language or DEFAULT_LANGUAGE
    )
