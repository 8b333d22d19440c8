"""Entry points: ``lunch recommender run-once`` and ``lunch serve recommender`` (nightly)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator
from typing import Protocol
from zoneinfo import ZoneInfo

from redis.asyncio import Redis
from redis.exceptions import RedisError
from rich.progress import Progress

from recommender.gemini import Gemini
from recommender.keys import KeyPool
from recommender.metrics import RecommenderMetrics
from recommender.nightly import Summary, recommend_office

log = logging.getLogger("lunch.recommender")

METRICS_REFRESH_SECONDS = 15.0


class _Url(Protocol):
    @property
    def url(self) -> str: ...


class _Gemini(Protocol):
    @property
    def api_keys(self) -> tuple[str, ...]: ...
    @property
    def base_url(self) -> str: ...
    @property
    def model(self) -> str: ...
    @property
    def requests_per_key(self) -> int: ...


class _Clock(Protocol):
    @property
    def timezone(self) -> str: ...


class _Schedule(Protocol):
    @property
    def at(self) -> str: ...
    @property
    def metrics_port(self) -> int: ...


class RecommenderSettings(Protocol):
    """The settings this package reads (commands.settings.Settings has them all)."""

    @property
    def database(self) -> _Url: ...
    @property
    def redis(self) -> _Url: ...
    @property
    def gemini(self) -> _Gemini: ...
    @property
    def clock(self) -> _Clock: ...
    @property
    def recommender(self) -> _Schedule: ...


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def next_run(now: dt.datetime, at: str, timezone: str) -> dt.datetime:
    """The next instant the wall clock in ``timezone`` shows ``at`` (HH:MM), after ``now``."""
    zone = ZoneInfo(timezone)
    hour, minute = (int(part) for part in at.split(":"))
    local = now.astimezone(zone)
    for days in range(3):
        date = local.date() + dt.timedelta(days=days)
        candidate = dt.datetime.combine(date, dt.time(hour, minute), tzinfo=zone)
        if candidate.astimezone(dt.UTC) > now:
            return candidate.astimezone(dt.UTC)
    raise AssertionError((now, at, timezone))


class Recommender:
    """The Redis client, key pool and Gemini client of one process."""

    def __init__(self, settings: RecommenderSettings) -> None:
        self.settings = settings
        self.redis = Redis.from_url(settings.redis.url)
        keys = settings.gemini.api_keys
        self.keys = KeyPool(self.redis, keys, settings.gemini.requests_per_key) if keys else None
        self.gemini = Gemini(settings.gemini.model, settings.gemini.base_url) if keys else None

    async def close(self) -> None:
        if self.gemini is not None:
            await self.gemini.close()
        await self.redis.aclose()

    async def run(self, progress: Progress | None = None) -> Summary:
        task = progress.add_task("recommendations", total=None) if progress else None

        def on_total(total: int) -> None:
            if progress is not None and task is not None:
                progress.update(task, total=total)

        def advance(done: int) -> None:
            if progress is not None and task is not None:
                progress.advance(task, done)

        return await recommend_office(
            self.settings.database.url,
            self.redis,
            self.keys,
            self.gemini,
            now=utc_now,
            timezone=self.settings.clock.timezone,
            on_total=on_total,
            advance=advance,
        )


@contextlib.asynccontextmanager
async def recommender(settings: RecommenderSettings) -> AsyncIterator[Recommender]:
    made = Recommender(settings)
    try:
        yield made
    finally:
        await made.close()


async def run_once(settings: RecommenderSettings) -> Summary:
    """Compute and cache everyone's suggestions now, with a progress bar."""
    async with recommender(settings) as rec:
        with Progress(transient=False) as progress:
            summary = await rec.run(progress)
        progress.console.print(
            f"{summary.employees} employees: {summary.gemini} ranked by Gemini, "
            f"{summary.fallback} by the fallback; {summary.requests} Gemini requests"
        )
    return summary


async def _refresh_metrics(rec: Recommender, metrics: RecommenderMetrics) -> None:
    while rec.keys is not None:
        try:
            metrics.keys(await rec.keys.states(utc_now()))
        except (RedisError, OSError) as e:  # Redis down: keep the last values, say so
            log.warning("key pool state unavailable", extra={"error": repr(e)})
        await asyncio.sleep(METRICS_REFRESH_SECONDS)


async def run_recommender(settings: RecommenderSettings) -> None:
    """Nightly at RECOMMENDER_AT in LUNCH_TIMEZONE, until stopped."""
    metrics = RecommenderMetrics()
    metrics.serve(settings.recommender.metrics_port)
    async with recommender(settings) as rec, asyncio.TaskGroup() as tasks:
        tasks.create_task(_refresh_metrics(rec, metrics))
        while True:
            at = next_run(utc_now(), settings.recommender.at, settings.clock.timezone)
            log.info("next recommendation run", extra={"at": at.isoformat()})
            await asyncio.sleep(max((at - utc_now()).total_seconds(), 0))
            try:
                metrics.run(await rec.run())
            except Exception:  # a failed night is logged; the next one still runs
                log.exception("recommendation run failed")
