"""Runs a group's handler would only ignore cost no transaction, and lose nothing."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
from aiokafka import TopicPartition
from psycopg import Cursor
from psycopg_pool import ConnectionPool

from commands.store.postgres import PostgresEventStore
from projections.engine import offsets
from projections.engine.consumer import GroupConsumer
from projections.engine.handling import Delivery
from projections.engine.ignored_runs import SAVE_INTERVAL_SECONDS, IgnoredRuns
from tests.bench.generate import fill
from tests.integration.kafka_side import eventually, publish_store


@pytest.mark.timeout(120)
@pytest.mark.parametrize("wanted", ["none", "some"])
async def test_ignored_runs_are_not_handled_and_their_offset_is_saved(
    store: PostgresEventStore,
    pool: ConnectionPool,
    kafka_bootstrap: str,
    topic_prefix: str,
    wanted: str,
) -> None:
    """The handler sees only runs holding a type it handles, every such message once; the
    group's stored offset still reaches the log's last message."""
    topic = f"{topic_prefix}.events"
    fill(store, 60)
    total = await publish_store(store, kafka_bootstrap, topic)
    types = [str(r.event.__struct_config__.tag) for r in store.read(0, 1000)]
    handles = {"Nothing.Happened"} if wanted == "none" else {types[-1]}
    handled: list[Delivery] = []

    def handle(cur: Cursor[Any], delivery: Delivery) -> str:
        handled.append(delivery)
        return "handled"

    group = f"{topic_prefix}.ignoring"
    consumer = GroupConsumer(
        pool, handle, bootstrap_servers=kafka_bootstrap, topic=topic, group=group, handles=handles
    )
    task = asyncio.create_task(consumer.run())

    def saved_to_the_end() -> bool:
        return offsets.stored(pool, group, topic).get(0, (0, 0))[0] == total

    try:
        await eventually(saved_to_the_end, "the group's offset at the log's end", within=30)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if wanted == "none":
        assert handled == []
    else:
        wanted_offsets = {i for i, t in enumerate(types) if t in handles}
        seen = [d.offset for d in handled]
        assert wanted_offsets <= set(seen)
        assert len(seen) == len(set(seen)), "a message handled twice"


def test_a_remembered_offset_waits_for_the_interval_and_its_assignment() -> None:
    tp = TopicPartition("t", 0)
    runs = IgnoredRuns({"A"})
    first = Delivery(key="k", notification_id=7, type="B", payload=b"", partition=0, offset=3)

    assert runs.ignores([first])
    assert not runs.ignores([first, Delivery(key="k", notification_id=8, type="A", payload=b"")])
    assert not IgnoredRuns(None).ignores([first])

    runs.remember(tp, first, assignment=1)
    assert runs.due(1, now=100.0) == [(0, 3, 7)]
    runs.remember(tp, first, assignment=1)
    assert runs.due(1, now=100.0 + SAVE_INTERVAL_SECONDS / 2) == []  # not yet
    assert runs.due(1, now=100.0 + SAVE_INTERVAL_SECONDS) == [(0, 3, 7)]
    runs.remember(tp, first, assignment=1)
    assert runs.due(2, now=200.0) == []  # fetched before a rebalance: dropped
    runs.remember(tp, first, assignment=2)
    runs.forget(tp)  # a handled run of the partition saves a later offset itself
    assert runs.due(2, now=300.0) == []
