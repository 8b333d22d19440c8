"""Relay → Kafka (Tansu) → projector, including a broker that loses everything."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import defaultdict

from psycopg_pool import ConnectionPool

from commands.settings import DatabaseSettings, KafkaSettings, Settings
from commands.store.postgres import PostgresEventStore
from domain.events import event_type, kafka_key
from projections.engine.rebuild import rebuild
from projections.engine.relay import Relay, RelayOptions
from projections.reads.queries import Queries
from tests.integration.history import DAY, History, cancel, office_history, place
from tests.integration.kafka_side import (
    RestartableTansu,
    caught_up,
    eventually,
    projector,
    publish_all,
    read_topic,
)
from tests.integration.read_side import dump


async def test_relay_publishes_in_order_with_headers(
    store: PostgresEventStore, kafka_bootstrap: str, topic_prefix: str, kafka_idempotence: bool
) -> None:
    """Each event goes out once, keyed by its cafe or employee, in notification order per key,
    with its type, notification id, originator and schema version in the headers."""
    events, _, _ = office_history(History())
    store.append(events)
    topic = f"{topic_prefix}.events"
    options = RelayOptions(partitions=3, idempotence=kafka_idempotence)
    relay = Relay(store, bootstrap_servers=kafka_bootstrap, topic=topic, options=options)
    await relay.start()
    try:
        assert await publish_all(relay) == len(events)
        assert await publish_all(relay) == 0
        assert relay.position == store.head()
    finally:
        await relay.stop()

    messages = await read_topic(kafka_bootstrap, topic, len(events))
    recorded = {r.notification_id: r for r in store.read(0, 1000)}
    assert {m.partition for m in messages} <= {0, 1, 2}
    seen: dict[str, list[int]] = defaultdict(list)
    for m in sorted(messages, key=lambda m: (m.partition, m.offset)):
        headers = {k: v.decode() for k, v in m.headers}
        r = recorded[int(headers["notification_id"])]
        assert m.key.decode() == kafka_key(r.event)
        assert headers["type"] == event_type(r.event)
        assert headers["originator_id"] == str(r.originator_id)
        assert headers["originator_version"] == str(r.originator_version)
        assert headers["schema_version"] == "1"
        seen[m.key.decode()].append(r.notification_id)
    assert sorted(n for ids in seen.values() for n in ids) == sorted(recorded)
    assert all(ids == sorted(ids) for ids in seen.values())


async def test_relay_to_projector_end_to_end(
    store: PostgresEventStore,
    pool: ConnectionPool,
    database_url: str,
    kafka_bootstrap: str,
    topic_prefix: str,
    kafka_idempotence: bool,
) -> None:
    """Events appended to the store reach the read models through Kafka."""
    h = History()
    events, blini, _ = office_history(h)
    store.append(events)
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        kafka=KafkaSettings(
            bootstrap_servers=kafka_bootstrap,
            topic_prefix=topic_prefix,
            idempotence=kafka_idempotence,
        ),
    )
    options = RelayOptions(idempotence=kafka_idempotence)
    relay = Relay(
        store, bootstrap_servers=kafka_bootstrap, topic=settings.kafka.events_topic, options=options
    )
    await relay.start()
    try:
        await publish_all(relay)
        async with projector(settings):
            await eventually(caught_up(pool, store), "the projections to catch up")
            [nid] = store.append([place(h, blini, 2002, date=DAY + dt.timedelta(days=7))])
            await publish_all(relay)
            q = Queries(pool)
            assert await _wait(q, "orders", str(blini.id), nid)
    finally:
        await relay.stop()
    assert [o.tg_id for o in q.orders_on(DAY + dt.timedelta(days=7))] == [2002]
    assert {o.tg_id: o.status for o in q.orders_on(DAY)}[2003] == "cancelled"


async def _wait(q: Queries, projection: str, key: str, nid: int) -> bool:
    return await asyncio.to_thread(q.wait_applied, projection, key, nid, 20.0)


async def test_broker_loss_converges_without_loss(
    store: PostgresEventStore, pool: ConnectionPool, database_url: str, topic_prefix: str
) -> None:
    """A broker that restarts empty (with and without the relay and projector restarting)
    still leaves every projection with every event, as a rebuild from the store would."""
    broker = RestartableTansu()
    broker.start()
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        kafka=KafkaSettings(
            bootstrap_servers=broker.url, topic_prefix=topic_prefix, idempotence=False
        ),
    )
    h = History()
    events, blini, pho = office_history(h)
    store.append(events)

    def new_relay() -> Relay:
        options = RelayOptions(idempotence=False, idle_check_interval=0.2)
        return Relay(
            store, bootstrap_servers=broker.url, topic=settings.kafka.events_topic, options=options
        )

    relay = new_relay()
    await relay.start()
    try:
        # The broker restarts under a running relay and projector.
        async with projector(settings):
            await publish_all(relay)
            await eventually(caught_up(pool, store), "the first catch-up")
            broker.stop()
            broker.start()
            store.append([place(h, pho, 2003, date=DAY + dt.timedelta(days=1))])
            await publish_all(relay)
            await eventually(caught_up(pool, store), "convergence after the first loss")

        # Events published while the projector is down are lost with the broker: the relay
        # republishes them from the projector's own position.
        store.append([place(h, pho, 2001, date=DAY + dt.timedelta(days=2))])
        await publish_all(relay)
        broker.stop()
        broker.start()
        store.append([cancel(h, pho, 2001, date=DAY + dt.timedelta(days=2))])
        await publish_all(relay)
        async with projector(settings):
            await eventually(caught_up(pool, store), "convergence after the second loss")
        await relay.stop()

        # Everything restarts together, as `lunch run` does.
        broker.stop()
        broker.start()
        store.append([place(h, blini, 2002, date=DAY + dt.timedelta(days=3))])
        relay = new_relay()
        await relay.start()
        async with projector(settings):
            await publish_all(relay)
            await eventually(caught_up(pool, store), "convergence after a full restart")
    finally:
        await relay.stop()
        broker.stop()

    live = dump(pool)
    rebuild(pool, read_batch=store.read, show_progress=False)
    assert dump(pool) == live


async def test_rebuild_while_the_projector_runs(
    store: PostgresEventStore,
    pool: ConnectionPool,
    database_url: str,
    kafka_bootstrap: str,
    topic_prefix: str,
    kafka_idempotence: bool,
) -> None:
    """A rebuild while orders keep arriving through Kafka ends with every event applied once:
    the same read models as a rebuild from the store at rest."""
    h = History()
    events, blini, pho = office_history(h)
    store.append(events)
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        kafka=KafkaSettings(
            bootstrap_servers=kafka_bootstrap,
            topic_prefix=topic_prefix,
            idempotence=kafka_idempotence,
        ),
    )
    options = RelayOptions(idempotence=kafka_idempotence)
    relay = Relay(
        store, bootstrap_servers=kafka_bootstrap, topic=settings.kafka.events_topic, options=options
    )
    relay_task = asyncio.create_task(relay.run(poll_interval=0.02))
    try:
        async with projector(settings):
            await eventually(caught_up(pool, store), "the first catch-up")

            async def keep_ordering() -> None:
                for day in range(1, 40):
                    cafe = blini if day % 2 else pho
                    store.append(
                        [place(h, cafe, 2001 + day % 3, date=DAY + dt.timedelta(days=day))]
                    )
                    await asyncio.sleep(0.01)

            writer = asyncio.create_task(keep_ordering())
            await asyncio.sleep(0.1)
            await asyncio.to_thread(
                rebuild, pool, read_batch=store.read, batch_size=5, show_progress=False
            )
            await writer
            await eventually(caught_up(pool, store), "convergence after the rebuild")
    finally:
        relay_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relay_task
        await relay.stop()

    live = dump(pool)
    rebuild(pool, read_batch=store.read, show_progress=False)
    assert dump(pool) == live
    assert len(Queries(pool).orders_of(2002)) > 5


def test_relay_uses_the_projectors_schema_lock() -> None:
    """Relay and projector creating consumer_offsets at once take one advisory lock."""
    from projections.engine.offsets import SETUP_LOCK as SCHEMA_SETUP_LOCK
    from projections.engine.schema import _SETUP_LOCK

    assert SCHEMA_SETUP_LOCK == _SETUP_LOCK
