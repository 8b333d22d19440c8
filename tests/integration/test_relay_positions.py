"""The relay's saved position and partitions, on PostgreSQL: what is saved loads back, a
partition the topic no longer has is gone, and another topic's rows are left alone."""

from __future__ import annotations

from collections.abc import AsyncIterator

import psycopg
import pytest

from projections.engine.relay_positions import RelayPositions


@pytest.fixture
async def connection(database_url: str) -> AsyncIterator[psycopg.AsyncConnection[object]]:
    conn = await psycopg.AsyncConnection.connect(database_url, autocommit=True)
    try:
        yield conn
    finally:
        await conn.close()


async def positions(conn: psycopg.AsyncConnection[object], topic: str) -> RelayPositions:
    rows = RelayPositions(conn, topic)
    await rows.setup()
    return rows


async def test_saved_positions_load_back(connection: psycopg.AsyncConnection[object]) -> None:
    rows = await positions(connection, "t.events")
    assert await rows.load() == (0, {})

    await rows.save(10, {0: (5, 10), 1: (3, 9)})
    assert await rows.load() == (10, {0: (5, 10), 1: (3, 9)})

    await rows.save(14, {0: (6, 11), 1: (5, 14)})
    assert await rows.load() == (14, {0: (6, 11), 1: (5, 14)})


async def test_a_partition_no_longer_there_is_dropped(
    connection: psycopg.AsyncConnection[object],
) -> None:
    rows = await positions(connection, "t.events")
    other = await positions(connection, "u.events")
    await rows.save(10, {0: (5, 10), 1: (3, 9), 2: (1, 4)})
    await other.save(7, {0: (7, 7), 1: (2, 3)})

    await rows.save(12, {1: (4, 12)})
    assert await rows.load() == (12, {1: (4, 12)})
    await rows.save(12, {})
    assert await rows.load() == (12, {})
    assert await other.load() == (7, {0: (7, 7), 1: (2, 3)})
