"""The relay: publishes the event store's notification log to Kafka, in order, at least once.

Its position (the last published notification id) and, per partition, the next offset
and last notification id it saw acknowledged live in PostgreSQL beside the events; they
are saved only after the broker acknowledged. Before publishing it checks that the
broker still holds the last message of each partition; when the broker lost them
(Tansu keeps nothing across a restart), it recreates the topic and republishes from the
lowest notification id some consumer group has not handled yet (table
``consumer_offsets``, written by the consumers); consumers skip duplicates by
notification id.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any, Protocol

import msgspec
import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from commands.store.postgres import PostgresEventStore
from domain.events import Recorded, encode_event, event_type, kafka_key

log = logging.getLogger("lunch.relay")

TOPIC_EXISTS = 36
RESTART_BACKOFF_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)

# The advisory lock projections.schema.setup takes (blake2b of "read-schema-setup").
SCHEMA_SETUP_LOCK = 1363262333194082536

DDL = (
    """CREATE TABLE IF NOT EXISTS relay_position (
        topic text PRIMARY KEY,
        notification_id bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE IF NOT EXISTS relay_partitions (
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        notification_id bigint NOT NULL,
        PRIMARY KEY (topic, partition))""",
    # Shared with the consumers (same DDL in projections.schema).
    """CREATE TABLE IF NOT EXISTS consumer_offsets (
        group_id text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        notification_id bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, topic, partition))""",
)

# Per group, the partitions where it has not handled the last message the relay published
# there: it still needs everything after its own last notification id in that partition.
_RESTART_POINT = """
WITH groups AS (SELECT DISTINCT group_id FROM consumer_offsets WHERE topic = %(topic)s),
behind AS (
    SELECT coalesce(c.notification_id, 0) AS handled
    FROM groups g CROSS JOIN relay_partitions r
    LEFT JOIN consumer_offsets c
        ON c.group_id = g.group_id AND c.topic = r.topic AND c.partition = r.partition
    WHERE r.topic = %(topic)s AND coalesce(c.notification_id, 0) < r.notification_id)
SELECT (SELECT count(*) FROM groups), (SELECT min(handled) FROM behind)
"""


class RelaySettings(Protocol):
    @property
    def kafka_bootstrap_servers(self) -> str: ...
    @property
    def kafka_partitions(self) -> int: ...
    @property
    def kafka_idempotence(self) -> bool: ...
    @property
    def events_topic(self) -> str: ...


class BrokerUnavailable(Exception):
    """The broker did not answer a check in time."""


def log_event(level: int, event: str, **fields: Any) -> None:
    """A log record named by what happened, its fields as extras (the JSON-lines formatter
    writes them as keys of the line)."""
    log.log(level, event, extra=fields)


def headers(recorded: Recorded) -> list[tuple[str, bytes]]:
    event = recorded.event
    return [
        ("type", event_type(event).encode()),
        ("notification_id", str(recorded.notification_id).encode()),
        ("originator_id", str(recorded.originator_id).encode()),
        ("originator_version", str(recorded.originator_version).encode()),
        ("schema_version", str(type(event).class_version).encode()),
    ]


def _notification_id(record: Any) -> int | None:
    for name, value in record.headers or ():
        if name == "notification_id":
            return int(value)
    return None


class RelayOptions(msgspec.Struct, frozen=True, kw_only=True):
    partitions: int = 4
    replication_factor: int = 1
    # Off for brokers that lack idempotent producers (Tansu).
    idempotence: bool = True
    batch_size: int = 500
    # Seconds between checks that the broker still holds what was published: before a
    # batch (0: before every batch) and while idle.
    check_interval: float = 0.0
    idle_check_interval: float = 1.0
    check_timeout: float = 10.0


class Relay:
    def __init__(
        self,
        store: PostgresEventStore,
        *,
        bootstrap_servers: str,
        topic: str,
        options: RelayOptions | None = None,
    ) -> None:
        self.store = store
        self.bootstrap_servers = bootstrap_servers
        self.topic = topic
        self.options = options or RelayOptions()
        self.batch_size = self.options.batch_size
        self.position = 0
        # partition -> (next offset, notification id of the message just before it)
        self.partitions: dict[int, tuple[int, int]] = {}
        self._checked_at: float | None = None
        self._db: psycopg.AsyncConnection[Any] | None = None
        self._producer: Any = None
        self._probe: Any = None
        self._admin: Any = None

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        try:
            self._db = await psycopg.AsyncConnection.connect(
                self.store.database_url, autocommit=True
            )
            async with self._db.transaction():
                # The projector creates consumer_offsets too; the shared lock keeps two
                # concurrent CREATE ... IF NOT EXISTS from colliding in the catalogue.
                await self._db.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEMA_SETUP_LOCK])
                for statement in DDL:
                    await self._db.execute(statement)
                await self._db.execute(
                    "INSERT INTO relay_position (topic, notification_id) VALUES (%s, 0)"
                    " ON CONFLICT (topic) DO NOTHING",
                    [self.topic],
                )
            await self._load()
            self._admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers)
            await self._admin.start()
            # aiokafka sends at most one request per broker at a time, so order per
            # partition holds on retries even without idempotence (Tansu lacks it).
            self._producer = AIOKafkaProducer(
                bootstrap_servers=self.bootstrap_servers,
                acks="all",
                linger_ms=0,
                enable_idempotence=self.options.idempotence,
            )
            await self._producer.start()
            self._probe = AIOKafkaConsumer(
                bootstrap_servers=self.bootstrap_servers,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                fetch_max_wait_ms=50,
            )
            await self._probe.start()
        except BaseException:
            await self.stop()
            raise
        self._checked_at = None
        log_event(logging.INFO, "relay.start", topic=self.topic, position=self.position)

    async def stop(self) -> None:
        for client in (self._probe, self._producer, self._admin):
            if client is not None:
                await (client.close() if client is self._admin else client.stop())
        self._probe = self._producer = self._admin = None
        if self._db is not None:
            await self._db.close()
            self._db = None

    @property
    def db(self) -> psycopg.AsyncConnection[Any]:
        assert self._db is not None, "Relay.start() first"
        return self._db

    async def _load(self) -> None:
        row = await (
            await self.db.execute(
                "SELECT notification_id FROM relay_position WHERE topic = %s", [self.topic]
            )
        ).fetchone()
        self.position = int(row[0]) if row else 0
        rows = await (
            await self.db.execute(
                "SELECT partition, next_offset, notification_id FROM relay_partitions"
                " WHERE topic = %s",
                [self.topic],
            )
        ).fetchall()
        self.partitions = {r[0]: (r[1], r[2]) for r in rows}

    # --- publishing ----------------------------------------------------------------------

    async def publish_once(self) -> int:
        """Publish the next batch after the position; returns how many events were sent."""
        batch = await asyncio.to_thread(self.store.read, self.position, self.batch_size)
        interval = self.options.check_interval if batch else self.options.idle_check_interval
        due = self._checked_at is None or time.monotonic() - self._checked_at >= interval
        if due and await self.check_broker():
            batch = await asyncio.to_thread(self.store.read, self.position, self.batch_size)
        if not batch:
            return 0
        try:
            await self._publish(batch)
        except BaseException:
            self._checked_at = None
            raise
        return len(batch)

    async def _publish(self, batch: Sequence[Recorded]) -> None:
        sends = [
            await self._producer.send(
                self.topic,
                key=kafka_key(r.event).encode(),
                value=encode_event(r.event),
                headers=headers(r),
            )
            for r in batch
        ]
        acks = await asyncio.gather(*sends)
        lost = None
        for recorded, ack in zip(batch, acks, strict=True):
            expected, _ = self.partitions.get(ack.partition, (0, 0))
            if ack.offset < expected and lost is None:
                lost = f"partition {ack.partition} took offset {ack.offset}, expected {expected}"
            self.partitions[ack.partition] = (ack.offset + 1, recorded.notification_id)
        if lost is not None:
            await self._recover(lost)
            return
        await self._save(batch[-1].notification_id)
        log_event(
            logging.DEBUG,
            "relay.published",
            count=len(batch),
            first=batch[0].notification_id,
            last=batch[-1].notification_id,
        )

    async def _save(self, position: int) -> None:
        async with self.db.transaction(), self.db.cursor() as cur:
            await cur.execute(
                "UPDATE relay_position SET notification_id = %s, updated_at = now()"
                " WHERE topic = %s",
                [position, self.topic],
            )
            await cur.execute("DELETE FROM relay_partitions WHERE topic = %s", [self.topic])
            await cur.executemany(
                "INSERT INTO relay_partitions (topic, partition, next_offset, notification_id)"
                " VALUES (%s, %s, %s, %s)",
                [(self.topic, p, nxt, nid) for p, (nxt, nid) in sorted(self.partitions.items())],
            )
        self.position = position

    # --- broker loss ---------------------------------------------------------------------

    async def check_broker(self) -> bool:
        """Whether the broker had lost published messages (and the relay rewound)."""
        reason = await self._ensure_topic()
        if reason is None:
            reason = await self._missing_message()
        self._checked_at = time.monotonic()
        if reason is None:
            return False
        await self._recover(reason)
        return True

    async def _ensure_topic(self) -> str | None:
        """Create the topic if absent; a missing topic after publishing means a lost broker."""
        # A metadata listing never auto-creates, and spares the controller a create request.
        if self.topic in await self._admin.list_topics():
            return None
        topic = NewTopic(
            self.topic,
            self.options.partitions,
            self.options.replication_factor,
            # The log keeps every event, so a new consumer group can read from the start.
            topic_configs={"retention.ms": "-1"},
        )
        try:
            response = await self._admin.create_topics([topic])
        except TopicAlreadyExistsError:
            return None
        for _, code, message in response.topic_errors:
            if code == TOPIC_EXISTS:
                return None
            if code != 0:
                raise KafkaError(f"creating topic {self.topic}: {code} {message}")
        log_event(logging.INFO, "relay.topic_created", topic=self.topic)
        if self.position > 0 or self.partitions:
            return f"topic {self.topic} was missing"
        return None

    async def _missing_message(self) -> str | None:
        """Does each partition still hold the last message acknowledged there?"""
        starts: dict[Any, int | None] = {
            TopicPartition(self.topic, p): nxt - 1 for p, (nxt, _) in self.partitions.items()
        }
        found = await self._first_records(starts)
        for tp, (record, highwater) in found.items():
            expected_next, expected_id = self.partitions[tp.partition]
            expected_offset = expected_next - 1
            if record is None:
                return f"partition {tp.partition} ends at {highwater}, expected {expected_next}"
            if record.offset != expected_offset or _notification_id(record) != expected_id:
                return (
                    f"partition {tp.partition} offset {record.offset} holds notification "
                    f"{_notification_id(record)}, expected {expected_id} at {expected_offset}"
                )
        return None

    async def _first_records(
        self, starts: dict[Any, int | None]
    ) -> dict[Any, tuple[Any | None, int]]:
        """Per partition: the first record at or after the start (None: the beginning),
        or None when the partition ends before it, and the partition's high watermark.

        Fetch answers carry a correct high watermark even where ListOffsets does not.
        """
        if not starts:
            return {}
        self._probe.assign(list(starts))
        for tp, offset in starts.items():
            if offset is None:
                await self._probe.seek_to_beginning(tp)
            else:
                self._probe.seek(tp, offset)
        found: dict[Any, tuple[Any | None, int]] = {}
        deadline = time.monotonic() + self.options.check_timeout
        while len(found) < len(starts):
            if time.monotonic() > deadline:
                raise BrokerUnavailable(f"no fetch answer for {self.topic} in time")
            waiting = [tp for tp in starts if tp not in found]
            got = await self._probe.getmany(*waiting, timeout_ms=100)
            for tp, records in got.items():
                if tp not in found and records:
                    found[tp] = (records[0], self._probe.highwater(tp))
            for tp in waiting:
                highwater = self._probe.highwater(tp)
                start = starts[tp]
                if tp not in found and highwater is not None and highwater <= (start or 0):
                    found[tp] = (None, highwater)
        return found

    async def _observe(self) -> dict[int, tuple[int, int]]:
        """What the broker holds now: per partition, its end and the last notification id."""
        partitions = await self._producer.partitions_for(self.topic)
        ends = await self._first_records({TopicPartition(self.topic, p): None for p in partitions})
        lasts = await self._first_records(
            {tp: highwater - 1 for tp, (_, highwater) in ends.items() if highwater > 0}
        )
        return {
            tp.partition: (record.offset + 1, _notification_id(record) or 0)
            for tp, (record, _) in lasts.items()
            if record is not None
        }

    async def _restart_point(self) -> int:
        row = await (await self.db.execute(_RESTART_POINT, {"topic": self.topic})).fetchone()
        groups, behind = row if row else (0, None)
        if not groups:
            return 0
        return self.position if behind is None else min(int(behind), self.position)

    async def _recover(self, reason: str) -> None:
        restart = await self._restart_point()
        await self._ensure_topic()
        observed = await self._observe()
        lost_position = self.position
        self.partitions = observed
        await self._save(restart)
        log_event(
            logging.WARNING,
            "relay.broker_lost",
            reason=reason,
            topic=self.topic,
            position=lost_position,
            republish_from=restart,
        )

    # --- running -------------------------------------------------------------------------

    async def run(self, poll_interval: float = 0.1) -> None:
        """Publish until cancelled, polling the store when idle; reconnect after failures."""
        failures = 0
        while True:
            try:
                if self._db is None:
                    await self.start()
                sent = await self.publish_once()
            except Exception as error:
                delay = RESTART_BACKOFF_SECONDS[min(failures, len(RESTART_BACKOFF_SECONDS) - 1)]
                failures += 1
                log_event(logging.ERROR, "relay.failed", error=repr(error), retry_in=delay)
                if self._db is not None and (self._db.closed or self._db.broken):
                    await self.stop()
                await asyncio.sleep(delay)
                continue
            failures = 0
            if sent < self.batch_size:
                await asyncio.sleep(poll_interval)


async def run_relay(
    settings: RelaySettings, store: PostgresEventStore, poll_interval: float = 0.1
) -> None:
    """The ``lunch serve relay`` process: publish the store to ``settings.events_topic``."""
    options = RelayOptions(
        partitions=settings.kafka_partitions, idempotence=settings.kafka_idempotence
    )
    relay = Relay(
        store,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        topic=settings.events_topic,
        options=options,
    )
    try:
        await relay.run(poll_interval)
    finally:
        await relay.stop()
