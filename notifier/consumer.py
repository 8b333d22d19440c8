"""The notifier's Kafka consumer of ``lunch.events`` (its own group; positions in PostgreSQL).

It shares the engine's wire format (``projections.engine.wire``), its positions table
(``projections.engine.offsets``) and its restart helper, but not ``GroupConsumer``: that
runs a synchronous handler per message inside the offset's transaction, while a dispatch
waits for a projection and talks to Telegram (seconds, under rate limits), which must not
hold a transaction, and fifty closures at once must not queue behind each other.

So messages are handled key by key (``notifier.inflight``): a cafe's messages in order,
different cafes at the same time, and the next batch is polled without waiting for the
last one, so a dispatch held back by Telegram never holds up other cafes' closures. A
partition's position is saved up to the last message that it and every one before it are
handled; a crash redelivers the rest, which the handlers tolerate (every side effect checks
what the event store or a ledger already records).

For each wanted message the handler also gets the notification id of the latest earlier
message of the same key whose type is in ``follows`` (the types the cafe-day sheet applies),
as far as this consumer has read the partition since it was assigned; None when it has
not seen one. A dispatch waits for the sheet to reach that message, not the closure itself:
the orders are all in by then, and the projector's queue of closures does not delay it.

On assignment the consumer seeks to its stored position and checks that
the message just before it is the one it handled last; if not, the broker lost the
partition and it is read again from the start.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from psycopg_pool import ConnectionPool

from domain.events import Recorded
from notifier.inflight import InFlight
from projections.engine import offsets
from projections.engine.closing import stop_within
from projections.engine.positions import StoredPositions
from projections.engine.restart import keep_running
from projections.engine.wire import delivery_of, notification_id_of

log = logging.getLogger("lunch.notifier")

Handler = Callable[[Recorded, int | None], Awaitable[None]]
STOP_TIMEOUT_SECONDS = 5.0
SAVE_INTERVAL_SECONDS = 0.5
"""Positions are saved at most this often: a save per poll (a transaction and a Kafka
commit for every few orders) cost more than handling what the notifier ignores."""


def group_id(topic_prefix: str) -> str:
    return f"{topic_prefix}.notifier"


def save_positions(
    pool: ConnectionPool, group: str, topic: str, handled: dict[int, tuple[int, int]]
) -> None:
    """partition -> (offset of the last handled message, its notification id)."""
    with pool.connection() as conn, conn.transaction():
        cur = conn.cursor()
        for partition, (offset, nid) in handled.items():
            offsets.save(cur, group, topic, partition, offset, nid)


class NotifierConsumer(StoredPositions):
    max_records = 500
    max_pending = 1000  # handlers running or waiting before polling pauses

    def __init__(  # noqa: PLR0913
        self,
        pool: ConnectionPool,
        handle: Handler,
        wanted: frozenset[str],
        *,
        follows: frozenset[str] = frozenset(),
        bootstrap_servers: str,
        topic: str,
        group: str,
    ) -> None:
        super().__init__(pool, topic=topic, group=group)
        self.handle = handle
        self.wanted = wanted
        self.follows = follows
        # partition -> key -> notification id of the key's latest message of a followed type
        self.latest: dict[int, dict[str, int]] = defaultdict(dict)
        self.bootstrap_servers = bootstrap_servers
        self.inflight = InFlight()
        self._saved_at = 0.0

    async def run_forever(self) -> None:
        """Consume until cancelled, starting again after each failure."""
        await keep_running(self.run, logger=log, event="notifier.failed", consumer=self.group)

    async def run(self) -> None:
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap_servers,
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=50,
            max_poll_records=self.max_records,
        )
        self.inflight = InFlight()
        await self.consumer.start()
        try:
            while self.topic not in await self.consumer.topics():  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            self.consumer.subscribe([self.topic], listener=self)
            while True:
                if self.inflight.failure is not None:
                    raise self.inflight.failure
                if self.inflight.pending() < self.max_pending:
                    batches = await self.consumer.getmany(
                        timeout_ms=200, max_records=self.max_records
                    )
                    await self._consume(batches)
                else:
                    await asyncio.sleep(0.05)
                await self._save()
                await self._check_unseen()
        finally:
            await self.inflight.cancel()
            # Bounded, and not ended by a cancellation the client raises of its own: that
            # would end the notifier's consumer for good instead of restarting it.
            happened = await stop_within(self.consumer.stop, STOP_TIMEOUT_SECONDS)
            if happened is not None:
                log.warning(f"notifier.stop_{happened}")

    async def _consume(self, batches: dict[TopicPartition, Sequence[Any]]) -> None:
        for tp, messages in batches.items():
            for message in messages:
                expected = self._expect.pop(tp, None)
                if expected is not None:
                    if (message.offset, notification_id_of(message.headers)) == expected:
                        continue
                    await self._reread(tp)
                    break
                delivery = delivery_of(message)
                latest = self.latest[tp.partition]
                job = None
                if delivery.type in self.wanted:
                    job = self._job(delivery.decode(), latest.get(delivery.key))
                if delivery.type in self.follows:
                    latest[delivery.key] = delivery.notification_id
                self.inflight.add(
                    tp.partition, message.offset, delivery.notification_id, delivery.key, job
                )

    def _job(self, item: Recorded, after: int | None) -> Callable[[], Awaitable[None]]:
        return lambda: self.handle(item, after)

    async def _save(self) -> None:
        now = time.monotonic()
        if now - self._saved_at < SAVE_INTERVAL_SECONDS:
            return
        self._saved_at = now
        settled = self.inflight.settled()
        if not settled:
            return
        await asyncio.to_thread(save_positions, self.pool, self.group, self.topic, settled)
        try:
            await self.consumer.commit(
                {TopicPartition(self.topic, p): o + 1 for p, (o, _) in settled.items()}
            )
        except KafkaError as error:
            log.info("notifier.commit_failed", extra={"error": repr(error)})

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        for tp in revoked:
            self.latest.pop(tp.partition, None)
            self.inflight.forget(tp.partition)
        await super().on_partitions_revoked(revoked)

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        for tp in assigned:
            self.latest.pop(tp.partition, None)
            self.inflight.forget(tp.partition)
        await super().on_partitions_assigned(assigned)

    async def _reread(self, tp: TopicPartition) -> None:
        log.warning("notifier.partition_reset", extra={"partition": tp.partition})
        self.latest.pop(tp.partition, None)
        self.inflight.forget(tp.partition)
        await self.consumer.seek_to_beginning(tp)

    async def _check_unseen(self) -> None:
        """A partition that now ends before the message we expect lost its messages."""
        for tp, (offset, _) in list(self._expect.items()):
            highwater = self.consumer.highwater(tp)
            if highwater is not None and highwater <= offset:
                self._expect.pop(tp, None)
                await self._reread(tp)
