"""One run over the office: candidates for every active employee, Gemini ranking in batches,
the fallback for anyone Gemini did not rank, everything cached for 24 hours."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import msgspec
import psycopg
from redis.asyncio import Redis

from recommender import cache, reads
from recommender.fallback import ranking
from recommender.gemini import Gemini
from recommender.keys import KeyPool
from recommender.model import Item, Recommendations
from recommender.plan import Planned, plan
from recommender.prompt import entries
from recommender.ranking import rank_batch

log = logging.getLogger("lunch.recommender")

BATCH = 20  # employees per Gemini request: with 8 candidates each, about 17,000 characters
ACTIVE_DAYS = 30

Clock = Callable[[], dt.datetime]
Advance = Callable[[int], Any]


class Summary(msgspec.Struct, frozen=True, kw_only=True):
    day: dt.date | None
    employees: int
    gemini: int
    fallback: int
    requests: int


def _plan_office(
    database_url: str, now: dt.datetime, timezone: str, langs: dict[int, str]
) -> list[Planned]:
    with psycopg.connect(database_url) as conn:
        active = reads.active_employees(conn, now, ACTIVE_DAYS)
        return plan(conn, active, now, timezone, langs)


def batches(planned: list[Planned], size: int = BATCH) -> list[list[Planned]]:
    """Employees with something to rank, ``size`` to a request."""
    ranked = [p for p in planned if p.candidates]
    return [ranked[i : i + size] for i in range(0, len(ranked), size)]


async def _rank_all(
    planned: list[Planned],
    keys: KeyPool | None,
    gemini: Gemini | None,
    now: Clock,
    advance: Advance,
) -> dict[int, list[Item]]:
    """One request at a time: a nightly job has minutes to spare, this stays under the free
    tier's requests-per-minute, and a key that fails is seen failing before anyone retries it,
    so it is tried once."""
    ranked: dict[int, list[Item]] = {}
    for batch in batches(planned):
        if keys is not None and gemini is not None:
            found = entries([(p.tg_id, p.language, p.candidates) for p in batch])
            ranked.update(await rank_batch(keys, gemini, found, now))
        advance(len(batch))
    return ranked


async def recommend_office(  # noqa: PLR0913 - the run's collaborators, each needed
    database_url: str,
    redis: Redis,
    keys: KeyPool | None,
    gemini: Gemini | None,
    *,
    now: Clock,
    timezone: str,
    on_total: Callable[[int], Any] = lambda _: None,
    advance: Advance = lambda _: None,
) -> Summary:
    """Suggestions for every employee active in the last ACTIVE_DAYS days, cached in Redis."""
    started = now()
    langs = await cache.languages(redis)
    planned = await asyncio.to_thread(_plan_office, database_url, started, timezone, langs)
    on_total(len(planned))
    advance(len([p for p in planned if not p.candidates]))
    before = keys.reserved if keys else 0
    ranked = await _rank_all(planned, keys, gemini, now, advance)
    results = {
        p.tg_id: Recommendations(generated_at=started, source="gemini", items=ranked[p.tg_id])
        if p.tg_id in ranked
        else Recommendations(
            generated_at=started, source="fallback", items=ranking(p.candidates, p.language)
        )
        for p in planned
    }
    await cache.store(redis, results)
    summary = Summary(
        day=planned[0].day if planned else None,
        employees=len(planned),
        gemini=len(ranked),
        fallback=len(planned) - len(ranked),
        requests=(keys.reserved if keys else 0) - before,
    )
    log.info("recommendations computed", extra=msgspec.to_builtins(summary))
    return summary
