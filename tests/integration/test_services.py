"""The test fixtures hand every test real, isolated PostgreSQL, Redis and Kafka."""

from __future__ import annotations

import asyncio
import uuid

import psycopg
import redis
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from tests.services import TEST_DB_PREFIX


def test_fresh_database_is_empty_and_writable(database_url: str) -> None:
    """database_url names a new database with no tables, which the test may use freely."""
    with psycopg.connect(database_url) as conn:
        name = conn.execute("SELECT current_database()").fetchone()
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        conn.execute("CREATE TABLE note (id int PRIMARY KEY, body text)")
        conn.execute("INSERT INTO note VALUES (1, 'lunch')")
        body = conn.execute("SELECT body FROM note WHERE id = 1").fetchone()
    assert name is not None
    assert name[0].startswith(TEST_DB_PREFIX)
    assert tables == (0,)
    assert body == ("lunch",)


def test_redis_database_is_empty_and_private(redis_db_url: str) -> None:
    """redis_db_url points at a flushed numbered database, not the shared database 0."""
    client = redis.Redis.from_url(redis_db_url)
    assert client.dbsize() == 0
    client.set("greeting", "hello")
    assert client.get("greeting") == b"hello"
    assert not redis_db_url.endswith("/0")
    client.close()


async def test_keyed_messages_come_back_in_order_per_key(
    kafka_bootstrap: str, topic_prefix: str
) -> None:
    """An explicitly created topic keeps each key on one partition, in produce order."""
    topic = f"{topic_prefix}.events"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    finally:
        await admin.close()

    sent = [(f"cafe-{i % 4}".encode(), f"event-{i}".encode()) for i in range(20)]
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, linger_ms=0)
    await producer.start()
    try:
        partitions: dict[bytes, int] = {}
        for key, value in sent:
            meta = await producer.send_and_wait(topic, value, key=key)
            assert partitions.setdefault(key, meta.partition) == meta.partition
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap,
        group_id=f"{topic_prefix}-reader-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        # Tansu holds a group join for half the session timeout; keep the test quick.
        session_timeout_ms=2000,
        heartbeat_interval_ms=300,
    )
    await consumer.start()
    received: list[tuple[bytes, bytes]] = []
    try:
        async with asyncio.timeout(30):
            while len(received) < len(sent):
                batch = await consumer.getmany(timeout_ms=500)
                received += [(m.key, m.value) for msgs in batch.values() for m in msgs]
    finally:
        await consumer.stop()

    for key in {k for k, _ in sent}:
        assert [v for k, v in received if k == key] == [v for k, v in sent if k == key]
