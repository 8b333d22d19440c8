"""The relay's options and connections: its positions' database connection and its three
Kafka clients (topic admin, producer, and the probe that reads single records back,
``broker_loss``)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import msgspec
import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from projections.engine.broker_loss import BrokerProbe
from projections.engine.relay_positions import RelayPositions


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
                linger_ms=0,
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
        await self.probe.consumer.stop()
        await self.producer.stop()
        await self.admin.close()


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
