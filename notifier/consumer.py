"""The notifier's Kafka consumer of ``lunch.events`` (its own group; positions in PostgreSQL).

Each polled batch is handled key by key: a cafe's messages in order, different cafes at
the same time (so fifty closures at once do not queue behind each other). Positions are
saved after the batch; a crash before that redelivers it, which the handlers tolerate
(every side effect checks what the event store or a ledger already records).
On assignment the consumer seeks to its stored position and checks that the message
just before it is the one it handled last; if not, the broker lost the partition and it
is read again from the start.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import KafkaError

from notifier.adapters import Delivered, delivered
from notifier.store import NotifierStore

log = logging.getLogger("lunch.notifier")

Handler = Callable[[Delivered], Awaitable[None]]
STOP_TIMEOUT_SECONDS = 5.0
RESTART_BACKOFF_SECONDS = (0.5, 1.0, 2.0, 5.0)


def group_id(topic_prefix: str) -> str:
    return f"{topic_prefix}.notifier"


class NotifierConsumer(ConsumerRebalanceListener):  # type: ignore[misc]
    max_records = 500

    def __init__(
        self,
        store: NotifierStore,
        handle: Handler,
        wanted: frozenset[str],
        *,
        bootstrap_servers: str,
        topic: str,
        group: str,
    ) -> None:
        self.store = store
        self.handle = handle
        self.wanted = wanted
        self.bootstrap_servers = bootstrap_servers
        self.topic = topic
        self.group = group
        self.consumer: Any = None
        self._expect: dict[TopicPartition, tuple[int, int]] = {}
        self._last_nid: dict[int, int] = {}

    async def run(self) -> None:
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap_servers,
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=50,
            max_poll_records=self.max_records,
        )
        await self.consumer.start()
        try:
            while self.topic not in await self.consumer.topics():  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            self.consumer.subscribe([self.topic], listener=self)
            while True:
                batches = await self.consumer.getmany(timeout_ms=200, max_records=self.max_records)
                await self._consume(batches)
        finally:
            try:
                await asyncio.wait_for(self.consumer.stop(), STOP_TIMEOUT_SECONDS)
            except TimeoutError:
                log.warning("notifier.stop_timeout")

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        for tp in revoked:
            self._expect.pop(tp, None)

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        stored = await asyncio.to_thread(self.store.positions, self.group, self.topic)
        nids = await asyncio.to_thread(self.store.position_nids, self.group, self.topic)
        for tp in assigned:
            next_offset = stored.get(tp.partition, 0)
            if next_offset > 0:
                self.consumer.seek(tp, next_offset - 1)
                self._expect[tp] = (next_offset - 1, nids.get(tp.partition, 0))
            else:
                await self.consumer.seek_to_beginning(tp)

    async def _consume(self, batches: dict[TopicPartition, Sequence[Any]]) -> None:
        by_key: dict[str, list[Delivered]] = defaultdict(list)
        handled: dict[int, tuple[int, int]] = {}
        for tp, messages in batches.items():
            for message in messages:
                expected = self._expect.pop(tp, None)
                if expected is not None:
                    if (message.offset, delivered(message, frozenset()).notification_id) == (
                        expected
                    ):
                        continue
                    log.warning("notifier.partition_reset", extra={"partition": tp.partition})
                    await self.consumer.seek_to_beginning(tp)
                    break
                d = delivered(message, self.wanted)
                handled[tp.partition] = (d.offset + 1, d.notification_id)
                if d.event is not None:
                    by_key[d.key].append(d)
        await asyncio.gather(*(self._in_order(items) for items in by_key.values()))
        if handled:
            await asyncio.to_thread(self.store.save_positions, self.group, self.topic, handled)
            try:
                await self.consumer.commit(
                    {TopicPartition(self.topic, p): o for p, (o, _) in handled.items()}
                )
            except KafkaError as error:
                log.info("notifier.commit_failed", extra={"error": repr(error)})
        await self._check_unseen()

    async def _in_order(self, items: list[Delivered]) -> None:
        for item in items:
            await self.handle(item)

    async def _check_unseen(self) -> None:
        """A partition that now ends before the message we expect lost its messages."""
        for tp, (offset, _) in list(self._expect.items()):
            highwater = self.consumer.highwater(tp)
            if highwater is not None and highwater <= offset:
                self._expect.pop(tp, None)
                log.warning("notifier.partition_reset", extra={"partition": tp.partition})
                await self.consumer.seek_to_beginning(tp)


async def supervise(consumer: NotifierConsumer) -> None:
    """Run the consumer, restarting it after failures with a growing pause."""
    failures = 0
    while True:
        try:
            await consumer.run()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            delay = RESTART_BACKOFF_SECONDS[min(failures, len(RESTART_BACKOFF_SECONDS) - 1)]
            failures += 1
            log.exception("notifier.failed", extra={"error": repr(error), "retry_in": delay})
            await asyncio.sleep(delay)
