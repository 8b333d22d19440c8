"""The api over the real service, PostgreSQL, Redis and Kafka, with relay and projector running."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx
import msgspec
import psycopg
import pytest
from litestar.testing import TestClient
from psycopg_pool import ConnectionPool
from redis.asyncio import Redis

from api.app import create_app
from commands.service import LunchService
from commands.settings import (
    AuthSettings,
    ClockSettings,
    DatabaseSettings,
    KafkaSettings,
    RedisSettings,
    Settings,
    TelegramSettings,
)
from commands.store import EventStore
from commands.store.postgres import PostgresEventStore
from projections.engine.projector import run_projector
from projections.engine.relay_process import run_relay
from projections.engine.schema import setup
from projections.models.catalogue import ALL
from projections.reads.queries import Queries

MANAGER = 1001
AUDITOR = 3001
EMPLOYEE = 2001
OTHER = 2002
BOT_TOKEN = "4242:test-bot-token"
# Thursday 26 November 2026, 09:00 in Moscow: before the 11:00 cutoff of the test cafe.
NOW = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 26)

T = TypeVar("T")


class Clock:
    """The instant the service and the api both see; tests move it."""

    def __init__(self, now: dt.datetime) -> None:
        self.instant = now

    def now(self) -> dt.datetime:
        return self.instant


class Background:
    """Coroutines run on an event loop in a thread, cancelled when the test ends."""

    def __init__(self, *jobs: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self.jobs = jobs
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.task: asyncio.Task[Any] | None = None
        self.started = threading.Event()
        self.failure: BaseException | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.task = self.loop.create_task(self._main())
        self.started.set()
        try:
            self.loop.run_until_complete(self.task)
        except asyncio.CancelledError:
            pass
        except BaseException as e:  # reported to the test through self.failure
            self.failure = e
        finally:
            self.loop.close()

    async def _main(self) -> None:
        async with asyncio.TaskGroup() as group:
            for job in self.jobs:
                group.create_task(job())

    def __enter__(self) -> Background:
        self.thread.start()
        self.started.wait(5)
        return self

    def __exit__(self, *_: object) -> None:
        assert self.task is not None
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.task.cancel)
        self.thread.join(15)
        assert self.failure is None, f"background job failed: {self.failure!r}"


def wait_for(probe: Callable[[], T | None], timeout: float = 30.0) -> T:
    """Poll until ``probe`` returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {probe}")
        time.sleep(0.05)


@pytest.fixture
def settings(
    database_url: str,
    redis_db_url: str,
    kafka_bootstrap: str,
    topic_prefix: str,
    kafka_idempotence: bool,
) -> Settings:
    return settings_for(
        database_url, redis_db_url, kafka_bootstrap, topic_prefix, kafka_idempotence
    )


def settings_for(
    database_url: str,
    redis_url: str,
    kafka_bootstrap: str,
    topic_prefix: str,
    kafka_idempotence: bool,
) -> Settings:
    """The api's settings over one test's slice of the services."""
    return Settings(
        env="development",
        database=DatabaseSettings(url=database_url),
        redis=RedisSettings(url=redis_url),
        kafka=KafkaSettings(
            bootstrap_servers=kafka_bootstrap,
            topic_prefix=topic_prefix,
            partitions=2,
            idempotence=kafka_idempotence,
        ),
        telegram=TelegramSettings(bot_token=BOT_TOKEN),
        auth=AuthSettings(
            jwt_secret="integration-test-secret-of-32-bytes!", dev_login=True, managers=(MANAGER,)
        ),
        clock=ClockSettings(timezone="Europe/Moscow"),
    )


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def store(settings: Settings) -> Iterator[EventStore]:
    store = PostgresEventStore(settings.database.url)
    store.setup()
    yield store
    store.close()


@contextmanager
def pipeline(settings: Settings) -> Iterator[None]:
    """The relay and the projector, publishing and applying the store's events."""
    relay_store = PostgresEventStore(settings.database.url)
    # One after the other: both create the shared consumer_offsets table on start.
    with Background(lambda: run_relay(settings, relay_store, poll_interval=0.02)):
        wait_for(lambda: _exists(settings.database.url, "public.consumer_offsets"))
        with Background(lambda: run_projector(settings)):
            wait_for(lambda: _exists(settings.database.url, "read.employees"))
            yield
    relay_store.close()


@pytest.fixture
def read_side(settings: Settings, store: EventStore) -> Iterator[None]:
    """The relay and the projector, publishing and applying this test's events."""
    with pipeline(settings):
        yield


def _exists(database_url: str, table: str) -> bool:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT to_regclass(%s)", [table]).fetchone()
    return row is not None and row[0] is not None


@pytest.fixture
def queries(settings: Settings, store: EventStore) -> Iterator[Queries]:
    pool = ConnectionPool(settings.database.url, min_size=1, max_size=8, open=True)
    yield Queries(pool)
    pool.close()


@pytest.fixture
def make_client(
    settings: Settings, store: EventStore, queries: Queries, clock: Clock
) -> Iterator[Callable[..., TestClient[Any]]]:
    """A client factory over the real service. Settings may be overridden per test: a
    top-level field by value, a concern by a dict of its fields (``auth={"dev_login": False}``)."""
    opened: list[TestClient[Any]] = []

    def make(app_options: dict[str, Any] | None = None, **overrides: Any) -> TestClient[Any]:
        chosen = msgspec.structs.replace(
            settings,
            **{
                name: msgspec.structs.replace(getattr(settings, name), **value)
                if isinstance(value, dict)
                else value
                for name, value in overrides.items()
            },
        )
        redis = Redis.from_url(chosen.redis.url)
        service = LunchService(store, now=clock.now, new_id=uuid.uuid4)
        app = create_app(chosen, service, queries, redis, now=clock.now, **(app_options or {}))
        app.on_shutdown.append(redis.aclose)
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient[Any]], read_side: None) -> TestClient[Any]:
    """The api with relay and projector running: reads follow writes."""
    return make_client()


@pytest.fixture
def write_client(make_client: Callable[..., TestClient[Any]], queries: Queries) -> TestClient[Any]:
    """The api with empty read models and no Kafka pipeline: for writes, auth and refusals."""
    setup(queries.pool, ALL)
    return make_client()


def login(client: httpx.Client, tg_id: int) -> dict[str, str]:
    """Authorization headers for a dev login as ``tg_id``."""
    response = client.post("/api/auth/dev", json={"tg_id": tg_id})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}
