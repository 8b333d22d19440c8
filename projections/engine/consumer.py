"""A Kafka consumer group whose positions live in PostgreSQL: the engine under the
projector, and under any other consumer of ``<prefix>.events`` (notifier, audit).

Give it a ``Handle``: a function that does what one message means inside the
transaction it is given. The engine decodes the message (``wire``), runs the handler
and records the group's offset (``offsets``) in that same transaction (Kafka's copy:
``kafka_copy``); runs the handler would only ignore skip it (``ignored_runs``). On
assignment it seeks to one before its stored offset and checks that the message there is
the one it handled last; if not, the broker lost or rewrote the partition, and it rereads
it from the beginning (handlers skip by notification id what they already did).

    consumer = GroupConsumer(pool, handle, bootstrap_servers=..., topic=..., group=...)
    await consumer.run_forever()  # restarts after failures until cancelled
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Sequence
from typing import Generic

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from psycopg_pool import ConnectionPool

from projections.engine.base import log_event
from projections.engine.closing import stop_within
from projections.engine.handling import Delivery
from projections.engine.ignored_runs import IgnoredRuns
from projections.engine.kafka_copy import KafkaCopy
from projections.engine.positions import StoredPositions
from projections.engine.restart import keep_running
from projections.engine.runs import Handle, HandleRun, R, each, handle_all_in_transaction
from projections.engine.wire import delivery_of, notification_id_of

log = logging.getLogger("lunch.consumer")

TOPIC_WAIT_SECONDS = 0.2
STOP_TIMEOUT_SECONDS = 5.0


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
        handle_run: HandleRun[R] | None = None,
        handles: Collection[str] | None = None,
    ) -> None:
        """``describe`` names what the handler did for the debug log (None: nothing).
        ``handle_run``, if given, handles each fetched run at once instead of ``handle``
        on each message (it must do what ``handle`` would do on each in turn).
        ``handles``, if given, are the only event types the handler does anything with:
        a run of none of them is not handed to it (see ``ignored_runs``)."""
        super().__init__(pool, topic=topic, group=group)
        self.handle_run = handle_run or each(handle)
        self.ignored = IgnoredRuns(handles)
        self.describe = describe
        self.bootstrap_servers = bootstrap_servers
        self.name = name or group
        self.kafka_copy = KafkaCopy()

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
        self.kafka_copy.clear()
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
                await self.kafka_copy.commit_due(self.consumer)
                await self.ignored.save_due(self.pool, self.group, self.topic, self.assignment)
                await self._check_unseen()
        finally:
            await self._stop_consumer()

    async def _stop_consumer(self) -> None:
        """Leave the group, but not forever: a broker still waiting for a killed member's
        session to expire can hold the leave; positions are in PostgreSQL anyway. A stop
        ending in a cancellation of the client's own must not end this consumer for good."""
        happened = await stop_within(self.consumer.stop, STOP_TIMEOUT_SECONDS)
        if happened is not None:  # "timeout", or "cancelled" by a fetch of its own
            seconds = STOP_TIMEOUT_SECONDS
            log_event(
                log,
                logging.WARNING,
                f"consumer.stop_{happened}",
                consumer=self.name,
                seconds=seconds,
            )

    async def _wait_for_topic(self) -> None:
        # Subscribing to a missing topic would make the broker auto-create it with its
        # default partition count; the relay creates it with the configured one.
        while self.topic not in await self.consumer.topics():  # noqa: ASYNC110 (remote state)
            await asyncio.sleep(TOPIC_WAIT_SECONDS)

    async def _consume(
        self, tp: TopicPartition, messages: Sequence[ConsumerRecord], assignment: int
    ) -> None:
        """A fetched run of one partition's messages, handled in one transaction (one
        commit for the run, as the rebuild does, instead of one per message); the rest of
        a run fetched under an older assignment is dropped, as the new assignment sought
        the partition to its stored position."""
        batch: list[Delivery] = []
        for message in messages:
            if self.assignment != assignment:
                break
            expected = self._expect.pop(tp, None)
            if expected is not None:
                if (message.offset, notification_id_of(message.headers)) == expected:
                    continue  # the last message handled before: the log is the one we know
                await self._reread(tp, f"found offset {message.offset}, expected {expected}")
                return
            batch.append(delivery_of(message))
        if not batch:
            return
        if self.ignored.ignores(batch):
            self.ignored.remember(tp, batch[-1], assignment)
        else:
            self.ignored.forget(tp)
            results = await asyncio.to_thread(
                handle_all_in_transaction, self.pool, self.handle_run, self.group, self.topic, batch
            )
            self._log_outcomes(batch, results)
        last = batch[-1]
        handled = last.offset or 0
        if self.assignment != assignment:
            self.resume_after(tp, handled, last.notification_id)
            return
        self.kafka_copy.handled(tp, handled + 1)

    def _log_outcomes(self, batch: Sequence[Delivery], results: Sequence[R]) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return
        for delivery, result in zip(batch, results, strict=True):
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
