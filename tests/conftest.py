"""Shared fixtures: real services found or started once per session, isolated per test.

Session fixtures (an address each): ``postgres_url``, ``redis_url``, ``kafka_bootstrap``.
Per-test fixtures: ``database_url`` (a fresh database, dropped afterwards),
``redis_db_url`` (a claimed, flushed Redis database), ``topic_prefix`` (unique Kafka topic
prefix) and ``stack_env`` (all of them as the environment a component reads).
Tests are marked ``unit``, ``integration`` or ``e2e`` by the folder they live in.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ops.embedded import EmbeddedKafka, EmbeddedPostgres, EmbeddedRedis
from tests import services

TESTS = Path(__file__).parent
FOLDER_MARKERS = ("unit", "integration", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        try:
            folder = item.path.relative_to(TESTS).parts[0]
        except ValueError:
            continue
        if folder in FOLDER_MARKERS:
            item.add_marker(getattr(pytest.mark, folder))


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL server URL whose user may create databases."""
    if url := os.environ.get("DATABASE_URL"):
        yield url
    elif services.postgres_reachable(services.LOCAL_POSTGRES):
        yield services.LOCAL_POSTGRES
    else:
        server = EmbeddedPostgres(tmp_path_factory.mktemp("postgres") / "data")
        yield server.start()
        server.stop()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis server URL (database 0 holds the per-test database claims)."""
    if url := os.environ.get("REDIS_URL"):
        yield url
    elif services.redis_reachable(services.LOCAL_REDIS):
        yield services.LOCAL_REDIS
    else:
        server = EmbeddedRedis(None)
        yield server.start()
        server.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Kafka bootstrap servers: KAFKA_BOOTSTRAP_SERVERS, else Tansu for this session."""
    if servers := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield servers
    else:
        broker = EmbeddedKafka(tmp_path_factory.mktemp("tansu"))
        yield broker.start()
        broker.stop()


@pytest.fixture(scope="session")
def kafka_idempotence() -> bool:
    """Tansu lacks idempotent producers; an external broker has them unless told otherwise."""
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        return False
    return os.environ.get("KAFKA_IDEMPOTENCE", "1").lower() in ("1", "true", "yes", "on")


@pytest.fixture
def database_url(postgres_url: str) -> Iterator[str]:
    """A fresh, empty database ``lunch_t_<hex>`` for this test only."""
    url = services.create_database(postgres_url)
    yield url
    services.drop_database(postgres_url, url)


@pytest.fixture
def redis_db_url(redis_url: str) -> Iterator[str]:
    """A Redis database (1-15) no other test or run uses meanwhile; flushed before and after."""
    url, token = services.claim_redis_db(redis_url)
    yield url
    services.release_redis_db(url, token)


@pytest.fixture
def topic_prefix() -> str:
    """A Kafka topic prefix unique to this test (topics are ``<prefix>.events`` etc.)."""
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture
def stack_env(
    database_url: str,
    redis_db_url: str,
    kafka_bootstrap: str,
    topic_prefix: str,
    kafka_idempotence: bool,
) -> dict[str, str]:
    """The environment a component reads, pointing at this test's slice of every service."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_db_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "KAFKA_TOPIC_PREFIX": topic_prefix,
        "KAFKA_IDEMPOTENCE": "1" if kafka_idempotence else "0",
        "LUNCH_ENV": "development",
    }
