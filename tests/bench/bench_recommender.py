"""Gemini requests and time for one nightly run over an office of ``--employees`` active people.

Creates a fresh database (next to DATABASE_URL, else on the local PostgreSQL) and claims a
Redis database, builds the office through the real service and projections (one cafe, one
order a day per employee for ``--days`` days), then runs the recommender once against the
local fake Gemini with one good key, and prints how many requests it took.

    python -m tests.bench.bench_recommender [--employees 500] [--days 1] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import os
import time

from psycopg_pool import ConnectionPool
from redis.asyncio import Redis

from commands.store.postgres import PostgresEventStore
from projections.engine.schema import setup
from projections.models.catalogue import ALL
from recommender.gemini import Gemini
from recommender.keys import KeyPool
from recommender.nightly import BATCH, Summary, recommend_office
from tests import services
from tests.bench.bench_rebuild import LOCAL_POSTGRES, fresh_database
from tests.fakes.gemini import Behaviour, fake_gemini
from tests.integration.recommender.office import TIMEZONE, build_office

FIRST_EMPLOYEE = 10_001


async def run(database_url: str, redis_url: str, base_url: str) -> Summary:
    async with Redis.from_url(redis_url) as redis:
        gemini = Gemini("gemini-2.5-flash", base_url)
        try:
            return await recommend_office(
                database_url,
                redis,
                KeyPool(redis, ("bench-key",), 195),
                gemini,
                now=lambda: dt.datetime.now(dt.UTC),
                timezone=TIMEZONE,
            )
        finally:
            await gemini.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_recommender", description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--days", type=int, default=1, help="days of orders per employee")
    parser.add_argument("--quick", action="store_true", help="100 employees")
    args = parser.parse_args(argv)
    count = 100 if args.quick else args.employees
    server = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    redis_server = os.environ.get("REDIS_URL") or services.LOCAL_REDIS
    redis_url, claim = services.claim_redis_db(redis_server)
    active = tuple(range(FIRST_EMPLOYEE, FIRST_EMPLOYEE + count))
    try:
        with fresh_database(server, keep=False) as url:
            store = PostgresEventStore(url)
            store.setup()
            with ConnectionPool(url, min_size=1, max_size=4) as pool:
                setup(pool, ALL)
                started = time.perf_counter()
                build_office(store, pool, dt.datetime.now(dt.UTC), active, args.days)
                built = time.perf_counter() - started
                print(f"office of {count} active employees built in {built:.1f}s")
            store.close()
            with fake_gemini({"bench-key": Behaviour.OK}) as fake:
                started = time.perf_counter()
                summary = asyncio.run(run(url, redis_url, fake.base_url))
                seconds = time.perf_counter() - started
                prompt_chars = max((len(c.prompt) for c in fake.calls), default=0)
    finally:
        services.release_redis_db(redis_url, claim)
    print(
        f"\n{summary.employees} active employees, {BATCH} per request: "
        f"{summary.requests} Gemini requests (expected ceil({count}/{BATCH}) = "
        f"{math.ceil(count / BATCH)}; {len(fake.calls)} reached the server)\n"
        f"  ranked by Gemini: {summary.gemini}, fallback: {summary.fallback}\n"
        f"  largest prompt: {prompt_chars} characters\n"
        f"  run took {seconds:.1f}s against the local fake ({os.cpu_count()} CPUs)"
    )
    return 0 if summary.requests == math.ceil(count / BATCH) else 1


if __name__ == "__main__":
    raise SystemExit(main())
