"""A Kafka consumer group whose positions live in PostgreSQL: the engine under the
projector, and under any other consumer of ``<prefix>.events`` (notifier, audit).

Give it a ``Handle``: a function that does what one message means inside the
transaction it is given. The engine decodes the message (``wire``), runs the handler
and records the group's offset (``offsets``) in that same transaction, then commits the
Kafka offset as a convenience. On assignment it seeks to one before its stored offset
and checks that the message there is the one it handled last; if not, the broker lost or
rewrote the partition, and it rereads the partition from the beginning (handlers skip by
notification id what they already did).

    consumer = GroupConsumer(pool, handle, bootstrap_servers=..., topic=..., group=...)
    await consumer.run_forever()  # restarts after failures until cancelled
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError
from psycopg import Cursor
from psycopg_pool import ConnectionPool

from projections.engine import offsets
from projections.engine.base import log_event
from projections.engine.handling import Delivery
from projections.engine.positions import StoredPositions
from projections.engine.restart import keep_running
from projections.engine.wire import delivery_of, notification_id_of

log = logging.getLogger("lunch.consumer")

TOPIC_WAIT_SECONDS = 0.2
STOP_TIMEOUT_SECONDS = 5.0

R = TypeVar("R")

Handle = Callable[["Cursor[Any]", Delivery], R]
"""Does what a message means, in the given transaction; what it did."""


def handle_in_transaction(
    pool: ConnectionPool, handle: Handle[R], group: str, topic: str, delivery: Delivery
) -> R:
    """One transaction: the handler's work and the group's offset."""
    with pool.connection() as conn, conn.transaction():
        cur = conn.cursor()
        outcome = handle(cur, delivery)
        offset = delivery.offset or 0
        offsets.save(cur, group, topic, delivery.partition or 0, offset, delivery.notification_id)
    return outcome


class GroupConsumer(StoredPositions, Generic[R]):
    max_records = 500
    poll_timeout_ms = 200

    def __init__(  # noqa: PLR0913
        self,
        pool: ConnectionPool,
        handle: Handle[R],
        *,
        bootstrap_servers: str,
        topic: str,
        group: str,
        name: str = "",
        describe: Callable[[R], str | None] = str,
    ) -> None:
        """``describe`` names what the handler did for the debug log (None: nothing)."""
        super().__init__(pool, topic=topic, group=group)
        self.handle = handle
        self.describe = describe
        self.bootstrap_servers = bootstrap_servers
        self.name = name or group

    async def run_forever(self) -> None:
        """Consume until cancelled, starting again after each failure."""
        await keep_running(
            self._logged_run, logger=log, event="consumer.failed", consumer=self.name
        )

    async def _logged_run(self) -> None:
        log_event(log, logging.INFO, "consumer.start", consumer=self.name)
        await self.run()

    async def run(self) -> None:
        """Consume until cancelled (raises on a database or broker failure)."""
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap_servers,
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=100,
            max_poll_records=self.max_records,
        )
        await self.consumer.start()
        try:
            await self._wait_for_topic()
            self.consumer.subscribe([self.topic], listener=self)
            while True:
                batches = await self.consumer.getmany(
                    timeout_ms=self.poll_timeout_ms, max_records=self.max_records
                )
                # What getmany returns matches the positions as they stand now.
                assignment = self.assignment
                for tp, messages in batches.items():
                    await self._consume(tp, messages, assignment)
                await self._check_unseen()
        finally:
            await self._stop_consumer()

    async def _stop_consumer(self) -> None:
        """Leave the group, but not forever: a broker still waiting for a killed member's
        session to expire can hold the leave; positions are in PostgreSQL anyway."""
        try:
            await asyncio.wait_for(self.consumer.stop(), STOP_TIMEOUT_SECONDS)
        except TimeoutError:
            log_event(
                log,
                logging.WARNING,
                "consumer.stop_timeout",
                consumer=self.name,
                seconds=STOP_TIMEOUT_SECONDS,
            )

    async def _wait_for_topic(self) -> None:
        # Subscribing to a missing topic would make the broker auto-create it with its
        # default partition count; the relay creates it with the configured one.
        while self.topic not in await self.consumer.topics():  # noqa: ASYNC110 (remote state)
            await asyncio.sleep(TOPIC_WAIT_SECONDS)

    async def _consume(
        self, tp: TopicPartition, messages: Sequence[ConsumerRecord], assignment: int
    ) -> None:
        """Handle a partition's fetched messages in order; stop when a rebalance happened
        meanwhile, as the new assignment sought the partition to its stored position."""
        handled = None
        for message in messages:
            if self.assignment != assignment:
                break
            expected = self._expect.pop(tp, None)
            if expected is not None:
                if (message.offset, notification_id_of(message.headers)) == expected:
                    continue  # the last message handled before: the log is the one we know
                await self._reread(tp, f"found offset {message.offset}, expected {expected}")
                return
            delivery = delivery_of(message)
            result = await asyncio.to_thread(
                handle_in_transaction, self.pool, self.handle, self.group, self.topic, delivery
            )
            outcome = self.describe(result)
            if outcome is not None:
                log_event(
                    log,
                    logging.DEBUG,
                    f"consumer.{outcome}",
                    consumer=self.name,
                    notification_id=delivery.notification_id,
                    type=delivery.type,
                    key=delivery.key,
                )
            handled = message.offset
        if handled is not None:
            try:
                await self.consumer.commit({tp: handled + 1})
            except KafkaError as error:
                # Positions live in PostgreSQL; Kafka's copy only serves lag tooling.
                log_event(log, logging.INFO, "consumer.commit_failed", error=repr(error))

    async def _check_unseen(self) -> None:
        """A partition that ends before the offset we expect lost its messages."""
        for tp, (offset, _) in list(self._expect.items()):
            highwater = self.consumer.highwater(tp)
            if highwater is not None and highwater <= offset:
                self._expect.pop(tp, None)
                await self._reread(tp, f"partition ends at {highwater}, expected {offset + 1}")

    async def _reread(self, tp: TopicPartition, reason: str) -> None:
        log_event(
            log,
            logging.WARNING,
            "consumer.partition_reset",
            consumer=self.name,
            partition=tp.partition,
            reason=reason,
        )
        await self.consumer.seek_to_beginning(tp)
