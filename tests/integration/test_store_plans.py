"""The event store's reads stay index lookups however large the store grows: the plan of
a group's read must not scan the events table."""

from __future__ import annotations

import uuid

import psycopg

from commands.store.postgres import EVENTS_TABLE, PostgresEventStore
from tests.contracts.event_store import registered, renamed

AGGREGATES = 5_000
EVENTS_EACH = 10
GROUP_IDS = 96  # a group of 32 placements: order, employee and month of each


def test_a_groups_read_looks_up_each_id(store: PostgresEventStore, database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            f"INSERT INTO {EVENTS_TABLE} (originator_id, originator_version, topic, state)"
            " SELECT md5(i::text)::uuid, v, 'Filler', '\\x7b7d'"
            " FROM generate_series(1, %s) i, generate_series(1, %s) v",
            (AGGREGATES, EVENTS_EACH),
        )
        conn.execute(f"ANALYZE {EVENTS_TABLE}")
        ids = [
            uuid.UUID(row[0])
            for row in conn.execute(
                "SELECT md5(i::text) FROM generate_series(1, %s) i", (GROUP_IDS,)
            )
        ]
        for mode in ("auto", "force_generic_plan"):  # as first run, and once prepared
            conn.execute(f"SET plan_cache_mode = {mode}")
            plan = "\n".join(
                row[0]
                for row in conn.execute(
                    b"EXPLAIN " + store._load_many.as_bytes(conn), (ids, [0] * len(ids))
                )
            )
            assert "Seq Scan" not in plan, plan
    # Still the same answer: each asked aggregate's events after its version, in order.
    cafe = uuid.uuid4()
    store.append([(cafe, 1, registered(cafe)), (cafe, 2, renamed(cafe, "Pho"))])
    assert store.load_many([cafe], after={cafe: 1}) == {cafe: [(2, renamed(cafe, "Pho"))]}
