"""Noticing that the broker lost what was published: does each partition still hold the
last message the relay saw acknowledged there? Tansu keeps nothing across a restart, and
a fresh broker starts every partition again at offset 0."""

from __future__ import annotations

import time
from typing import Any

from aiokafka import TopicPartition

from projections.engine.offsets import Offsets
from projections.engine.wire import notification_id_of


class BrokerUnavailable(Exception):
    """The broker did not answer a check in time."""


class BrokerProbe:
    """Reads single records with a consumer of no group (the relay's, started by it)."""

    def __init__(self, consumer: Any, topic: str, *, timeout: float) -> None:
        self.consumer = consumer
        self.topic = topic
        self.timeout = timeout

    async def missing_message(self, published: Offsets) -> str | None:
        """Why the broker no longer holds the last message published to each partition,
        or None when it does."""
        starts: dict[Any, int | None] = {
            TopicPartition(self.topic, p): nxt - 1 for p, (nxt, _) in published.items()
        }
        found = await self.first_records(starts)
        for tp, (record, highwater) in found.items():
            expected_next, expected_id = published[tp.partition]
            expected_offset = expected_next - 1
            if record is None:
                return f"partition {tp.partition} ends at {highwater}, expected {expected_next}"
            held = notification_id_of(record.headers)
            if record.offset != expected_offset or held != expected_id:
                return (
                    f"partition {tp.partition} offset {record.offset} holds notification "
                    f"{held}, expected {expected_id} at {expected_offset}"
                )
        return None

    async def observe(self, partitions: set[int]) -> Offsets:
        """What the broker holds now: per partition, its end and the last notification id."""
        ends = await self.first_records({TopicPartition(self.topic, p): None for p in partitions})
        lasts = await self.first_records(
            {tp: highwater - 1 for tp, (_, highwater) in ends.items() if highwater > 0}
        )
        return {
            tp.partition: (record.offset + 1, notification_id_of(record.headers) or 0)
            for tp, (record, _) in lasts.items()
            if record is not None
        }

    async def first_records(
        self, starts: dict[Any, int | None]
    ) -> dict[Any, tuple[Any | None, int]]:
        """Per partition: the first record at or after the start (None: the beginning),
        or None when the partition ends before it, and the partition's high watermark.

        Fetch answers carry a correct high watermark even where ListOffsets does not.
        """
        if not starts:
            return {}
        self.consumer.assign(list(starts))
        for tp, offset in starts.items():
            if offset is None:
                await self.consumer.seek_to_beginning(tp)
            else:
                self.consumer.seek(tp, offset)
        found: dict[Any, tuple[Any | None, int]] = {}
        deadline = time.monotonic() + self.timeout
        while len(found) < len(starts):
            if time.monotonic() > deadline:
                raise BrokerUnavailable(f"no fetch answer for {self.topic} in time")
            waiting = [tp for tp in starts if tp not in found]
            got = await self.consumer.getmany(*waiting, timeout_ms=100)
            for tp, records in got.items():
                if tp not in found and records:
                    found[tp] = (records[0], self.consumer.highwater(tp))
            for tp in waiting:
                highwater = self.consumer.highwater(tp)
                start = starts[tp]
                if tp not in found and highwater is not None and highwater <= (start or 0):
                    found[tp] = (None, highwater)
        return found
