"""The api over a test's database and Redis, logged in as an employee, for the route tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from litestar.testing import TestClient
from psycopg_pool import ConnectionPool
from redis.asyncio import Redis

from api.app import create_app
from commands.service import LunchService
from commands.settings import AuthSettings, ClockSettings, DatabaseSettings, RedisSettings, Settings
from commands.store import EventStore
from projections.reads.queries import Queries
from tests.integration.recommender.office import TIMEZONE


def api_settings(database_url: str, redis_url: str) -> Settings:
    return Settings(
        database=DatabaseSettings(url=database_url),
        redis=RedisSettings(url=redis_url),
        auth=AuthSettings(dev_login=True),
        clock=ClockSettings(timezone=TIMEZONE),
    )


@contextmanager
def logged_in(
    store: EventStore, pool: ConnectionPool, settings: Settings, tg_id: int
) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """A client of the app whose requests carry ``tg_id``'s bearer token."""
    service = LunchService(store, new_id=uuid.uuid4)
    app = create_app(settings, service, Queries(pool), Redis.from_url(settings.redis.url))
    with TestClient(app) as client:
        token = client.post("/api/auth/dev", json={"tg_id": tg_id}).json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client
