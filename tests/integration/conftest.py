"""Fixtures shared by the integration tests: an event store and a read-model pool."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from psycopg_pool import ConnectionPool

from commands.store.postgres import PostgresEventStore
from projections.engine.schema import setup
from projections.models.catalogue import ALL


@pytest.fixture
def store(database_url: str) -> Iterator[PostgresEventStore]:
    """An event store with its tables, in the test's own database."""
    store = PostgresEventStore(database_url)
    store.setup()
    yield store
    store.close()


@pytest.fixture
def pool(database_url: str) -> Iterator[ConnectionPool]:
    """A connection pool on the test's database with every read model's tables."""
    with ConnectionPool(database_url, min_size=1, max_size=4) as pool:
        setup(pool, ALL)
        yield pool
