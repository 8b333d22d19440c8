"""Kafka's copy of a consumer group's positions, committed at most once per interval.

Positions live in PostgreSQL (``offsets``); Kafka's copy only serves lag tooling, so it may
lag by the interval. A commit per run cost as much as handling the run.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from aiokafka import TopicPartition
from aiokafka.errors import KafkaError

from projections.engine.base import log_event

log = logging.getLogger("lunch.consumer")

COMMIT_INTERVAL_SECONDS = 1.0


class KafkaCopy:
    """The next offsets handled per partition, waiting for their commit."""

    def __init__(self) -> None:
        self._to_commit: dict[TopicPartition, int] = {}
        self._committed_at = 0.0

    def clear(self) -> None:
        self._to_commit.clear()

    def handled(self, tp: TopicPartition, next_offset: int) -> None:
        self._to_commit[tp] = next_offset

    async def commit_due(self, consumer: Any) -> None:
        """Commit what is waiting, if the interval is up, for the partitions still assigned."""
        now = time.monotonic()
        if not self._to_commit or now - self._committed_at < COMMIT_INTERVAL_SECONDS:
            return
        assigned = consumer.assignment()
        due = {tp: offset for tp, offset in self._to_commit.items() if tp in assigned}
        self._to_commit.clear()
        self._committed_at = now
        if not due:
            return
        try:
            await consumer.commit(due)
        except KafkaError as error:
            log_event(log, logging.INFO, "consumer.commit_failed", error=repr(error))
