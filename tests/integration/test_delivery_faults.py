"""Kafka deliveries duplicated and reordered across keys (as partitions interleave, and as a
relay republishing after a broker loss sends old events again): the read models end the same
as one clean delivery in store order."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from psycopg_pool import ConnectionPool

from commands.store import EventStore
from domain.events import Recorded, kafka_key
from projections.engine.schema import setup
from projections.models.catalogue import ALL
from tests import services
from tests.integration.history import History, office_history
from tests.integration.read_side import deliver, dump


def models(pool: ConnectionPool) -> dict[str, Any]:
    """The read models' rows, without tracking (its offsets depend on the delivery)."""
    return {k: v for k, v in dump(pool).items() if not k.startswith("tracking:")}


def shuffled_keeping_key_order(recorded: list[Recorded], seed: int) -> Iterator[Recorded]:
    """Keys interleaved at random, each key's events in order, as partitions deliver them."""
    by_key: dict[str, list[Recorded]] = defaultdict(list)
    for r in recorded:
        by_key[kafka_key(r.event)].append(r)
    rng = random.Random(seed)
    queues = [list(q) for q in by_key.values()]
    while queues:
        queue = rng.choice(queues)
        yield queue.pop(0)
        if not queue:
            queues.remove(queue)


def test_duplicated_and_reordered_deliveries_end_as_one_clean_delivery(
    store: EventStore, pool: ConnectionPool, postgres_url: str
) -> None:
    events, _, _ = office_history(History())
    store.append(events)
    recorded = store.read(0, 10_000)
    reference_url = services.create_database(postgres_url)
    try:
        with ConnectionPool(reference_url, min_size=1, max_size=2) as reference:
            setup(reference, ALL)
            deliver(reference, recorded)
            clean = models(reference)
    finally:
        services.drop_database(postgres_url, reference_url)

    messy = list(shuffled_keeping_key_order(recorded, seed=7))
    assert messy != recorded
    # Every event twice: again at once, and the first half once more at the end, after newer
    # events of the same keys (what a republish after a broker loss looks like).
    doubled = [r for r in messy for _ in (0, 1)] + messy[: len(messy) // 2]
    deliver(pool, doubled)
    assert models(pool) == clean
