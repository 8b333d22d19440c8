"""The relay's options and connections: its positions' database connection and its three
Kafka clients (topic admin, producer, and the probe that reads single records back,
``broker_loss``)."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import msgspec
import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from projections.engine.base import log_event
from projections.engine.broker_loss import BrokerProbe
from projections.engine.closing import stop_within
from projections.engine.relay_positions import RelayPositions

log = logging.getLogger("lunch.relay")
# With the broker gone, a consumer's stop can wait on its fetcher's retries for good.
CLOSE_TIMEOUT_SECONDS = 5.0


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


@dataclass
class KafkaClients:
    admin: Any
    producer: Any
    probe: BrokerProbe

    @classmethod
    async def open(cls, bootstrap_servers: str, topic: str, options: RelayOptions) -> KafkaClients:
        async with contextlib.AsyncExitStack() as opened:
            admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
            await admin.start()
            opened.push_async_callback(admin.close)
            # aiokafka sends at most one request per broker at a time, so order per
            # partition holds on retries even without idempotence (Tansu lacks it).
            producer = AIOKafkaProducer(
                bootstrap_servers=bootstrap_servers,
                acks="all",
                # A publish's messages in one batch per partition, not the first alone and
                # the rest behind it: fewer, larger produce requests. The embedded broker's
                # work per fetch grows with the batches it holds (B1: its CPU per order
                # about a fifth lower). 512 KiB holds a full relay batch of 500 events and
                # stays under a broker's default 1 MiB message limit.
                linger_ms=5,
                max_batch_size=512 * 1024,
                enable_idempotence=options.idempotence,
            )
            await producer.start()
            opened.push_async_callback(producer.stop)
            consumer = AIOKafkaConsumer(
                bootstrap_servers=bootstrap_servers,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                fetch_max_wait_ms=50,
            )
            await consumer.start()
            opened.pop_all()
        return cls(admin, producer, BrokerProbe(consumer, topic, timeout=options.check_timeout))

    async def close(self) -> None:
        """Close each client; none may hold the relay longer than CLOSE_TIMEOUT_SECONDS,
        or end it with a cancellation of its own: the relay reconnects with new clients."""
        for name, close in (
            ("probe", self.probe.consumer.stop),
            ("producer", self.producer.stop),
            ("admin", self.admin.close),
        ):
            if (happened := await stop_within(close, CLOSE_TIMEOUT_SECONDS)) is not None:
                log_event(log, logging.WARNING, f"relay.close_{happened}", client=name)


@dataclass
class RelayConnections:
    """The relay's database connection (its positions) and Kafka clients, opened together."""

    db: psycopg.AsyncConnection[Any]
    rows: RelayPositions
    kafka: KafkaClients

    @classmethod
    async def open(
        cls, database_url: str, bootstrap_servers: str, topic: str, options: RelayOptions
    ) -> RelayConnections:
        db = await psycopg.AsyncConnection.connect(database_url, autocommit=True)
        try:
            rows = RelayPositions(db, topic)
            await rows.setup()
            kafka = await KafkaClients.open(bootstrap_servers, topic, options)
        except BaseException:
            await db.close()
            raise
        return cls(db, rows, kafka)

    async def close(self) -> None:
        try:
            await self.kafka.close()
        finally:
            await self.db.close()
