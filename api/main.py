"""Builds the api from Settings alone: event store, service, read-model pool, Redis client."""

from __future__ import annotations

import os
import uuid

from litestar import Litestar
from psycopg_pool import ConnectionPool
from redis.asyncio import Redis

from api.app import create_app
from api.ratelimit import RateLimits
from commands.audit.log import install_audit
from commands.executor import utc_now
from commands.service import LunchService
from commands.settings import Settings
from commands.store.postgres import PostgresEventStore
from projections.reads.queries import Queries

POOL_SIZE = 8


def build_app(settings: Settings) -> Litestar:
    """Everything ``lunch serve api`` needs; connections open lazily and close on shutdown."""
    settings.check()
    store = PostgresEventStore(settings.database.url)
    store.setup()
    install_audit(settings.database.url)
    # Reads only, each one statement: autocommit spares a BEGIN and a COMMIT round trip.
    pool = ConnectionPool(
        settings.database.url,
        min_size=1,
        max_size=POOL_SIZE,
        kwargs={"autocommit": True},
        open=False,
    )
    redis = Redis.from_url(settings.redis.url)
    service = LunchService(store, now=utc_now, new_id=uuid.uuid4)
    limits = RateLimits.from_env(os.environ)
    app = create_app(settings, service, Queries(pool), redis, rate_limits=limits)

    async def close() -> None:
        pool.close()
        store.close()
        await redis.aclose()

    app.on_startup.append(lambda: pool.open(wait=False))
    app.on_shutdown.append(close)
    return app
