"""One indexed lookup, many times, four ways: an async psycopg pool on the event loop or a
synchronous pool in worker threads, each with and without autocommit. Why the api's hot
reads run on an async autocommit pool (projections/reads/async_reads.py). Not part of
`make bench`; DATABASE_URL picks the server (default: the local one):

    python -m tests.bench.read_pools [--seconds 4] [--callers 16] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable

import anyio.to_thread
from psycopg_pool import AsyncConnectionPool, ConnectionPool

LOOKUP = "SELECT oid, relname, relkind FROM pg_class WHERE oid = %s"
PG_CLASS = 1259
POOL_SIZE = 8  # min_size 4 (the default) grows to 8 under the load


async def _drive(callers: int, seconds: float, one: Callable[[], Awaitable[None]]) -> float:
    done = 0
    end = time.monotonic() + seconds

    async def caller() -> None:
        nonlocal done
        while time.monotonic() < end:
            await one()
            done += 1

    await asyncio.gather(*(caller() for _ in range(callers)))
    return done / seconds


async def on_the_loop(url: str, autocommit: bool, callers: int, seconds: float) -> float:
    kwargs = {"autocommit": autocommit}
    async with AsyncConnectionPool(
        url, min_size=POOL_SIZE, max_size=POOL_SIZE, kwargs=kwargs
    ) as pool:

        async def one() -> None:
            async with pool.connection() as conn:
                await (await conn.execute(LOOKUP, [PG_CLASS])).fetchall()

        return await _drive(callers, seconds, one)


async def in_threads(url: str, autocommit: bool, callers: int, seconds: float) -> float:
    kwargs = {"autocommit": autocommit}
    with ConnectionPool(url, max_size=POOL_SIZE, kwargs=kwargs) as pool:

        def lookup() -> None:
            with pool.connection() as conn:
                conn.execute(LOOKUP, [PG_CLASS]).fetchall()

        async def one() -> None:
            await anyio.to_thread.run_sync(lookup)

        return await _drive(callers, seconds, one)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="read_pools", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--callers", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    for _ in range(args.rounds):
        for name, way in (("event loop", on_the_loop), ("threads", in_threads)):
            for autocommit in (False, True):
                rate = asyncio.run(way(url, autocommit, args.callers, args.seconds))
                print(f"{name:10s} autocommit={autocommit!s:5s} {rate:7,.0f} lookups/s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
