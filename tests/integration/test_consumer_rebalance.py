"""A rebalance in the middle of a fetched batch: the consumer resumes at its stored position."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import pytest
from aiokafka import TopicPartition
from psycopg import Cursor
from psycopg_pool import ConnectionPool

from commands.store.postgres import PostgresEventStore
from projections.engine.consumer import GroupConsumer
from projections.engine.handling import Delivery
from tests.bench.generate import fill
from tests.integration.kafka_side import eventually, publish_store

REBALANCE_AT = 3  # the offset whose handling a rebalance interrupts


@pytest.mark.timeout(120)
async def test_rebalance_mid_batch_resumes_at_the_stored_position(
    store: PostgresEventStore,
    pool: ConnectionPool,
    kafka_bootstrap: str,
    topic_prefix: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A partition reassigned while its fetched run is being handled is read on after the
    run once it commits: nothing is reread from the start and every message is handled
    exactly once."""
    total = fill(store, 40)
    topic = f"{topic_prefix}.events"
    await publish_store(store, kafka_bootstrap, topic)

    loop = asyncio.get_running_loop()
    tp = TopicPartition(topic, 0)
    handled: list[int] = []

    def handle(cur: Cursor[Any], delivery: Delivery) -> str:
        offset = delivery.offset or 0
        if offset == REBALANCE_AT and offset not in handled:
            # What the group coordinator does when the group changes, while this message
            # is being handled: revoke, then assign and seek to the stored position.
            rebalance = consumer.on_partitions_revoked([tp])
            asyncio.run_coroutine_threadsafe(rebalance, loop).result(timeout=10)
            assign = consumer.on_partitions_assigned([tp])
            asyncio.run_coroutine_threadsafe(assign, loop).result(timeout=10)
        handled.append(offset)
        return "handled"

    consumer = GroupConsumer(
        pool, handle, bootstrap_servers=kafka_bootstrap, topic=topic, group=f"{topic_prefix}.g"
    )
    task = asyncio.create_task(consumer.run())
    try:
        with caplog.at_level(logging.WARNING, logger="lunch.consumer"):
            await eventually(lambda: len(set(handled)) == total, "every message to be handled")
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert "consumer.partition_reset" not in caplog.messages
    assert handled == list(range(total))
