"""Helpers for the read-side tests: feed deliveries like the consumer does, dump read models."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import msgspec
from psycopg import Cursor
from psycopg_pool import ConnectionPool

from domain.events import Recorded, event_type, kafka_key
from projections.engine.base import Projection
from projections.engine.handling import Delivery, Outcome
from projections.engine.projector import handle_message
from projections.models import orders
from projections.models.catalogue import ALL

GROUP = "test.projection"
TOPIC = "test.events"


def deliver(
    pool: ConnectionPool,
    recorded: Iterable[Recorded],
    projections: Sequence[Projection] = ALL,
) -> list[Outcome]:
    """Handle events as the Kafka consumer would (offset = position in this call)."""
    outcomes = []
    for offset, r in enumerate(recorded):
        delivery = msgspec.structs.replace(Delivery.of(r), partition=0, offset=offset)
        for projection in projections:
            group = f"{GROUP}.{projection.name}"
            outcomes.append(handle_message(pool, projection, group, delivery, TOPIC))
    return outcomes


def dump(pool: ConnectionPool, projections: Sequence[Projection] = ALL) -> dict[str, Any]:
    """Every row of the projections' tables and their tracking, in a stable order."""
    tables: dict[str, Any] = {}
    with pool.connection() as conn:
        for projection in projections:
            for table in projection.tables:
                rows = conn.execute(f"SELECT * FROM {table}").fetchall()
                tables[table] = sorted(rows, key=repr)
            tables[f"tracking:{projection.name}"] = conn.execute(
                "SELECT key, notification_id FROM read.tracking WHERE projection = %s ORDER BY key",
                [projection.name],
            ).fetchall()
    return tables


def expected_tracking(
    recorded: Iterable[Recorded], projection: Projection
) -> list[tuple[str, int]]:
    """Per key, the last notification id of the events the projection reads."""
    last: dict[str, int] = {}
    for r in recorded:
        if event_type(r.event) in projection.handles:
            last[kafka_key(r.event)] = r.notification_id
    return sorted(last.items())


class Flaky:
    """The orders projection, failing on chosen notification ids."""

    def __init__(self) -> None:
        self.failing: set[int] = set()

    def apply(self, cur: Cursor[Any], recorded: Recorded) -> None:
        if recorded.notification_id in self.failing:
            raise RuntimeError("cannot apply")
        orders.apply(cur, recorded)
