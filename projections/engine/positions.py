"""Where a consumer group starts reading: at the positions kept in PostgreSQL, not Kafka's.

On assignment each partition is sought to the last applied message (kept in
``consumer_offsets``), which the consumer expects to recognise first by its notification id;
a partition never applied starts at the beginning. Shared by every consumer group (the
projector's and the notifier's), so both resume and detect a lost broker the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from aiokafka import TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from psycopg_pool import ConnectionPool

from projections.engine import offsets


class StoredPositions(ConsumerRebalanceListener):  # type: ignore[misc]
    """A rebalance listener that seeks assigned partitions to their stored positions."""

    def __init__(self, pool: ConnectionPool, *, topic: str, group: str) -> None:
        self.pool = pool
        self.topic = topic
        self.group = group
        self.consumer: Any = None
        # partition -> (offset, notification id) of the message to recognise first.
        self._expect: dict[TopicPartition, tuple[int, int]] = {}
        # Counts rebalances: records fetched under an older assignment are stale, since the
        # new one sought every partition to its stored position.
        self.assignment = 0

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        self.assignment += 1
        for tp in revoked:
            self._expect.pop(tp, None)

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        self.assignment += 1
        stored = await asyncio.to_thread(offsets.stored, self.pool, self.group, self.topic)
        for tp in assigned:
            next_offset, notification_id = stored.get(tp.partition, (0, 0))
            if next_offset > 0:
                self.consumer.seek(tp, next_offset - 1)
                self._expect[tp] = (next_offset - 1, notification_id)
            else:
                await self.consumer.seek_to_beginning(tp)
