"""The projector: one Kafka consumer group per projection (the only aiokafka consumer here).

Each message is handled in one PostgreSQL transaction together with the projection's
tracking row and the group's partition offset; the Kafka offset is committed afterwards
and is only a convenience. On assignment a consumer seeks to one before its own stored
offset and checks that the message there is the one it handled last; if not, the broker
lost or rewrote the partition and the consumer rereads it from the beginning, skipping
by notification id what it already applied.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import KafkaError
from psycopg_pool import ConnectionPool

from projections.base import Projection, lock_id, log_event
from projections.catalogue import select
from projections.handling import Delivery, Outcome, handle
from projections.schema import setup

log = logging.getLogger("lunch.projector")

TOPIC_WAIT_SECONDS = 0.2
STOP_TIMEOUT_SECONDS = 5.0
RESTART_BACKOFF_SECONDS = (0.5, 1.0, 2.0, 5.0)


def group_id(topic_prefix: str, projection: str) -> str:
    return f"{topic_prefix}.projection.{projection}"


class MalformedMessage(ValueError):
    """A message without the headers every relayed event carries."""


def delivery_of(message: ConsumerRecord) -> Delivery:
    headers = {name: value.decode() for name, value in message.headers or ()}
    try:
        notification_id = int(headers["notification_id"])
        event_type = headers["type"]
    except (KeyError, ValueError) as e:
        where = f"{message.topic}/{message.partition}@{message.offset}"
        raise MalformedMessage(f"{where}: missing or bad header {e}") from e
    originator = headers.get("originator_id")
    version = headers.get("originator_version")
    return Delivery(
        key=message.key.decode() if message.key else "",
        notification_id=notification_id,
        type=event_type,
        payload=message.value or b"",
        originator_id=uuid.UUID(originator) if originator else None,
        originator_version=int(version) if version else None,
        partition=message.partition,
        offset=message.offset,
    )


def notification_id_of(message: ConsumerRecord) -> int | None:
    for name, value in message.headers or ():
        if name == "notification_id":
            return int(value)
    return None


def handle_message(
    pool: ConnectionPool, projection: Projection, group: str, delivery: Delivery, topic: str
) -> Outcome:
    """One transaction: the projection's change, its tracking row and the group's offset."""
    with pool.connection() as conn, conn.transaction():
        cur = conn.cursor()
        # Shared: a rebuild holds this lock exclusively while it replays the store.
        cur.execute("SELECT pg_advisory_xact_lock_shared(%s)", [lock_id(projection.name)])
        outcome = handle(cur, projection, delivery)
        cur.execute(
            """INSERT INTO consumer_offsets (group_id, topic, partition, next_offset,
                   notification_id, updated_at)
               VALUES (%s, %s, %s, %s, %s, now())
               ON CONFLICT (group_id, topic, partition) DO UPDATE SET
                   next_offset = EXCLUDED.next_offset,
                   notification_id = EXCLUDED.notification_id, updated_at = now()""",
            [
                group,
                topic,
                delivery.partition,
                (delivery.offset or 0) + 1,
                delivery.notification_id,
            ],
        )
    return outcome


def stored_offsets(pool: ConnectionPool, group: str, topic: str) -> dict[int, tuple[int, int]]:
    """partition -> (next offset, notification id of the last handled message)."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT partition, next_offset, notification_id FROM consumer_offsets"
            " WHERE group_id = %s AND topic = %s",
            [group, topic],
        ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


class ProjectionConsumer(ConsumerRebalanceListener):  # type: ignore[misc]
    max_records = 500
    poll_timeout_ms = 200

    def __init__(
        self,
        pool: ConnectionPool,
        projection: Projection,
        *,
        bootstrap_servers: str,
        topic: str,
        group: str,
    ) -> None:
        self.pool = pool
        self.projection = projection
        self.bootstrap_servers = bootstrap_servers
        self.topic = topic
        self.group = group
        self.consumer: Any = None
        # partition -> (offset, notification id) of the message to recognise first.
        self._expect: dict[TopicPartition, tuple[int, int]] = {}

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
                for tp, messages in batches.items():
                    await self._consume(tp, messages)
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
                "projection.stop_timeout",
                projection=self.projection.name,
                seconds=STOP_TIMEOUT_SECONDS,
            )

    async def _wait_for_topic(self) -> None:
        # Subscribing to a missing topic would make the broker auto-create it with its
        # default partition count; the relay creates it with the configured one.
        while self.topic not in await self.consumer.topics():  # noqa: ASYNC110 (remote state)
            await asyncio.sleep(TOPIC_WAIT_SECONDS)

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        for tp in revoked:
            self._expect.pop(tp, None)

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        stored = await asyncio.to_thread(stored_offsets, self.pool, self.group, self.topic)
        for tp in assigned:
            next_offset, notification_id = stored.get(tp.partition, (0, 0))
            if next_offset > 0:
                self.consumer.seek(tp, next_offset - 1)
                self._expect[tp] = (next_offset - 1, notification_id)
            else:
                await self.consumer.seek_to_beginning(tp)

    async def _consume(self, tp: TopicPartition, messages: Sequence[ConsumerRecord]) -> None:
        handled = None
        for message in messages:
            expected = self._expect.pop(tp, None)
            if expected is not None:
                if (message.offset, notification_id_of(message)) == expected:
                    continue  # the last message handled before: the log is the one we know
                await self._reread(tp, f"found offset {message.offset}, expected {expected}")
                return
            delivery = delivery_of(message)
            outcome = await asyncio.to_thread(
                handle_message, self.pool, self.projection, self.group, delivery, self.topic
            )
            if outcome is not Outcome.IGNORED:
                log_event(
                    log,
                    logging.DEBUG,
                    f"projection.{outcome.value}",
                    projection=self.projection.name,
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
                log_event(log, logging.INFO, "projection.commit_failed", error=repr(error))

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
            "projection.partition_reset",
            projection=self.projection.name,
            partition=tp.partition,
            reason=reason,
        )
        await self.consumer.seek_to_beginning(tp)


async def supervise(consumer: ProjectionConsumer) -> None:
    """Run one consumer, restarting it after failures with a growing pause."""
    failures = 0
    while True:
        try:
            log_event(log, logging.INFO, "projection.start", projection=consumer.projection.name)
            await consumer.run()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            delay = RESTART_BACKOFF_SECONDS[min(failures, len(RESTART_BACKOFF_SECONDS) - 1)]
            failures += 1
            log_event(
                log,
                logging.ERROR,
                "projection.failed",
                projection=consumer.projection.name,
                error=repr(error),
                retry_in=delay,
            )
            await asyncio.sleep(delay)


class ProjectorSettings(Protocol):
    @property
    def database_url(self) -> str: ...
    @property
    def kafka_bootstrap_servers(self) -> str: ...
    @property
    def kafka_topic_prefix(self) -> str: ...


async def run_projector(
    settings: ProjectorSettings,
    names: Sequence[str] = (),
    *,
    pool: ConnectionPool | None = None,
) -> None:
    """The ``lunch serve projector`` process: every (or each named) projection's consumer,
    one task each, until cancelled."""
    projections = select(names)
    own_pool = pool is None
    if pool is None:
        size = len(projections) + 2
        pool = ConnectionPool(settings.database_url, min_size=1, max_size=size, open=False)
        await asyncio.to_thread(pool.open, True)
    try:
        await asyncio.to_thread(setup, pool, projections)
        topic = f"{settings.kafka_topic_prefix}.events"
        consumers = [
            ProjectionConsumer(
                pool,
                projection,
                bootstrap_servers=settings.kafka_bootstrap_servers,
                topic=topic,
                group=group_id(settings.kafka_topic_prefix, projection.name),
            )
            for projection in projections
        ]
        async with asyncio.TaskGroup() as tasks:
            for consumer in consumers:
                tasks.create_task(supervise(consumer))
    finally:
        if own_pool:
            await asyncio.to_thread(pool.close)
