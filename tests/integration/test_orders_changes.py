"""Whose orders changed since a moment's positions, as the orders projection records it
(read.orders.notification_id) and the api's cache of my orders asks it
(AsyncReads.changed_since): each change found, nothing from before, and a plan that stays
a lookup per cafe however large the table grows."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from commands.store import EventStore
from projections.reads.async_reads import AsyncReads, Positions
from projections.reads.selects import CHANGED_SINCE
from tests.integration.history import DAY, History, cancel, office_history, place
from tests.integration.read_side import deliver

ROWS = 50_000
CAFES = 20


@pytest.fixture
async def reads(database_url: str) -> AsyncIterator[AsyncReads]:
    reads = AsyncReads(database_url)
    await reads.open()
    yield reads
    await reads.close()


def by_cafe(positions: Positions) -> dict[uuid.UUID, int]:
    return {uuid.UUID(key): nid for key, nid in positions.items()}


async def test_changes_after_the_positions_name_their_employees(
    store: EventStore, pool: ConnectionPool, reads: AsyncReads
) -> None:
    """A placement, a cancellation and an order at another cafe after the positions are
    found, each with its newest notification id; what came before is not."""
    h = History()
    events, blini, pho = office_history(h)
    store.append(events)
    deliver(pool, store.read(0, 1000))
    before = await reads.positions("orders")
    assert await reads.changed_since(by_cafe(before), 100) == []

    later = DAY + dt.timedelta(days=5)
    placed, cancelled, elsewhere = store.append(
        [place(h, blini, 2002, date=later), cancel(h, blini, 2001), place(h, pho, 2003, date=later)]
    )
    deliver(pool, store.read(placed - 1, 10))

    changed = await reads.changed_since(by_cafe(before), 100)
    assert sorted(changed) == [
        (2001, str(blini.id), cancelled),
        (2002, str(blini.id), placed),
        (2003, str(pho.id), elsewhere),
    ]
    assert await reads.changed_since(by_cafe(await reads.positions("orders")), 100) == []
    assert len(await reads.changed_since(by_cafe(before), 2)) == 2


def test_the_question_looks_up_each_cafe(pool: ConnectionPool, database_url: str) -> None:
    """On a table of many orders, the statement reads each cafe's recent range of the
    (cafe_id, notification_id) index, first run and prepared alike."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO read.orders (order_id, tg_id, cafe_id, cafe_name, date, combo_id,"
            " combo_name, combo_price, dishes, extras, total, currency, note, status,"
            " placed_at, updated_at, notification_id)"
            " SELECT md5(i::text)::uuid, i %% 2000, md5((i %% %s)::text)::uuid, 'Cafe',"
            " DATE '2026-11-01' + i %% 30, gen_random_uuid(), 'Combo', 45000, '[]', '[]', 45000,"
            " 'RUB', '', 'placed', now(), now(), i FROM generate_series(1, %s) i",
            (CAFES, ROWS),
        )
        conn.execute("ANALYZE read.orders")
        cafes = [uuid.UUID(row[0]) for row in conn.execute(
            "SELECT md5(i::text) FROM generate_series(0, %s) i", (CAFES - 1,)
        )]  # fmt: skip
        since = [ROWS - 100] * CAFES
        for mode in ("auto", "force_generic_plan"):
            conn.execute(f"SET plan_cache_mode = {mode}")
            plan = "\n".join(
                row[0]
                for row in conn.execute(
                    "EXPLAIN " + CHANGED_SINCE,
                    (cafes, since, 100),
                )
            )
            assert "Seq Scan" not in plan, plan
            assert "orders_by_change" in plan, plan
        found = conn.execute(CHANGED_SINCE, (cafes, since, 1000)).fetchall()
    assert len(found) == 100
    assert {nid for _, _, nid in found} == set(range(ROWS - 99, ROWS + 1))
