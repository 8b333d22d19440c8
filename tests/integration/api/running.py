"""The api served by uvicorn on a loopback port, with relay and projector, for a whole module.

Module-long tests (the role matrix, schemathesis) share one seeded office instead of paying
for a fresh database per case. Rate limits are off: every client here is 127.0.0.1.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import uvicorn
from psycopg_pool import ConnectionPool
from redis.asyncio import Redis

from api.app import create_app
from api.ratelimit import RateLimits
from commands.service import LunchService
from commands.settings import Settings
from commands.store import EventStore
from commands.store.postgres import PostgresEventStore
from projections.reads.queries import Queries
from tests import services
from tests.integration.api.conftest import NOW, Clock, pipeline, settings_for, wait_for

START_SECONDS = 15.0


@dataclass(frozen=True)
class Running:
    base_url: str
    settings: Settings
    service: LunchService
    store: EventStore
    clock: Clock


@contextmanager
def serve(
    settings: Settings, service: LunchService, queries: Queries, clock: Clock
) -> Iterator[str]:
    """uvicorn in a thread; yields the base URL and stops the server afterwards."""
    redis = Redis.from_url(settings.redis.url)
    app = create_app(
        settings,
        service,
        queries,
        redis,
        now=clock.now,
        rate_limits=RateLimits(per_user=0, auth_per_address=0, auth_failures_per_address=0),
    )
    app.on_shutdown.append(redis.aclose)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_config=None, access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(START_SECONDS)


@contextmanager
def running_api(
    postgres_url: str, redis_url: str, kafka_bootstrap: str, kafka_idempotence: bool
) -> Iterator[Running]:
    """A fresh database, Redis database and topic prefix; relay, projector and the api."""
    database_url = services.create_database(postgres_url)
    redis_db_url, claim = services.claim_redis_db(redis_url)
    settings = settings_for(
        database_url,
        redis_db_url,
        kafka_bootstrap,
        f"t{uuid.uuid4().hex[:12]}",
        kafka_idempotence,
    )
    clock = Clock(NOW)
    store = PostgresEventStore(database_url)
    store.setup()
    pool = ConnectionPool(database_url, min_size=1, max_size=8, open=True)
    service = LunchService(store, now=clock.now, new_id=uuid.uuid4)
    try:
        with (
            pipeline(settings),
            serve(settings, service, Queries(pool), clock) as base_url,
        ):
            wait_for(lambda: httpx.get(f"{base_url}/health/db").status_code == 200)
            yield Running(
                base_url=base_url, settings=settings, service=service, store=store, clock=clock
            )
    finally:
        pool.close()
        store.close()
        services.release_redis_db(redis_db_url, claim)
        services.drop_database(postgres_url, database_url)
