"""Suggestions in Redis for 24 hours, and the language each employee reads them in."""

from __future__ import annotations

import msgspec
from redis.asyncio import Redis

from recommender.model import Recommendations

TTL_SECONDS = 24 * 3600
LANGUAGES = "recommender:languages"


def cache_key(tg_id: int) -> str:
    return f"recommender:suggestions:{tg_id}"


async def store(redis: Redis, found: dict[int, Recommendations]) -> None:
    """Replace each employee's cached suggestions; they expire after TTL_SECONDS."""
    async with redis.pipeline(transaction=False) as pipe:
        for tg_id, recommendations in found.items():
            pipe.set(cache_key(tg_id), msgspec.json.encode(recommendations), ex=TTL_SECONDS)
        await pipe.execute()


async def load(redis: Redis, tg_id: int) -> Recommendations | None:
    raw = await redis.get(cache_key(tg_id))
    if raw is None:
        return None
    return msgspec.json.decode(raw, type=Recommendations)


async def languages(redis: Redis) -> dict[int, str]:
    found = await redis.hgetall(LANGUAGES)
    return {int(k): v.decode() if isinstance(v, bytes) else str(v) for k, v in found.items()}


async def remember_language(redis: Redis, tg_id: int, language: str) -> None:
    await redis.hset(LANGUAGES, str(tg_id), language)
