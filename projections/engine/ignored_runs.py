"""Runs a consumer group's handler would only ignore: no transaction for them.

A projection reads a few event types; most runs of a busy log hold none of them (an order
placed means nothing to the menus). Handling such a run would still open a transaction to
save the group's offset: with six projections, four commits for every run of orders. The
consumer instead remembers the run's last message here and saves its offset with the next
run it handles in a transaction, or on its own at most every ``SAVE_INTERVAL_SECONDS``.

Nothing is lost by saving late: after a restart or a rebalance the group rereads from the
offset it saved last, and the runs it rereads are ignored again. A remembered offset is
saved only under the assignment it was fetched in, so a partition that moved to another
member never has its offset set back by this one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection, Sequence
from typing import Any

from aiokafka import TopicPartition
from psycopg_pool import ConnectionPool

from projections.engine import offsets
from projections.engine.handling import Delivery

SAVE_INTERVAL_SECONDS = 0.5

Position = tuple[int, int, int]
"""partition, offset, notification id of a message handled."""


class IgnoredRuns:
    """Per partition: the last message of the runs ignored since the last saved offset."""

    def __init__(self, handles: Collection[str] | None) -> None:
        """``handles``: the event types the handler acts on (None: it may act on any)."""
        self.handles = handles
        self._pending: dict[TopicPartition, tuple[Delivery, int]] = {}
        self._saved_at = 0.0

    def ignores(self, batch: Sequence[Delivery]) -> bool:
        handles = self.handles
        return handles is not None and not any(d.type in handles for d in batch)

    def remember(self, tp: TopicPartition, last: Delivery, assignment: int) -> None:
        self._pending[tp] = (last, assignment)

    def forget(self, tp: TopicPartition) -> None:
        """A run of ``tp`` is being handled in a transaction, which saves a later offset."""
        self._pending.pop(tp, None)

    def due(self, assignment: int, now: float) -> list[Position]:
        """The positions to save now (none before the interval is up); those fetched under
        an older assignment are dropped."""
        if not self._pending or now - self._saved_at < SAVE_INTERVAL_SECONDS:
            return []
        self._saved_at = now
        pending, self._pending = self._pending, {}
        return [
            (tp.partition, last.offset or 0, last.notification_id)
            for tp, (last, fetched_in) in pending.items()
            if fetched_in == assignment
        ]

    async def save_due(self, pool: ConnectionPool, group: str, topic: str, assignment: int) -> None:
        due = self.due(assignment, time.monotonic())
        if due:
            await asyncio.to_thread(save_positions, pool, group, topic, due)


def save_positions(pool: ConnectionPool, group: str, topic: str, due: Sequence[Position]) -> None:
    """The group's offsets for ignored runs, in one transaction."""
    with pool.connection() as conn, conn.transaction():
        cur: Any = conn.cursor()
        for partition, offset, notification_id in due:
            offsets.save(cur, group, topic, partition, offset, notification_id)
