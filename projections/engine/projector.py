"""The projector: one consumer group per projection, on the consumer engine.

Each fetched run of messages is applied in one PostgreSQL transaction together with the
projection's tracking rows and the group's partition offset (see ``consumer`` and
``applying``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, Protocol

from psycopg import Cursor
from psycopg_pool import ConnectionPool

from projections.engine.applying import handle_run
from projections.engine.base import Projection, lock_id
from projections.engine.consumer import GroupConsumer
from projections.engine.handling import Delivery, Outcome, handle
from projections.engine.runs import Handle, HandleRun, handle_in_transaction
from projections.engine.schema import setup
from projections.models.catalogue import select


def group_id(topic_prefix: str, projection: str) -> str:
    return f"{topic_prefix}.projection.{projection}"


def applier(projection: Projection) -> Handle[Outcome]:
    """The engine's handler for one projection: apply (or skip, or park) the delivery."""

    def apply(cur: Cursor[Any], delivery: Delivery) -> Outcome:
        # Shared: a rebuild holds this lock exclusively while it replays the store.
        cur.execute("SELECT pg_advisory_xact_lock_shared(%s)", [lock_id(projection.name)])
        return handle(cur, projection, delivery)

    return apply


def run_applier(projection: Projection) -> HandleRun[Outcome]:
    """The engine's handler for a run: what ``applier`` does on each, in fewer statements."""

    def apply_run(cur: Cursor[Any], batch: Sequence[Delivery]) -> list[Outcome]:
        return handle_run(cur, projection, batch)

    return apply_run


def described(outcome: Outcome) -> str | None:
    return None if outcome is Outcome.IGNORED else f"projection.{outcome.value}"


def handle_message(
    pool: ConnectionPool, projection: Projection, group: str, delivery: Delivery, topic: str
) -> Outcome:
    """One transaction: the projection's change, its tracking row and the group's offset."""
    return handle_in_transaction(pool, run_applier(projection), group, topic, delivery)


def projection_consumer(
    pool: ConnectionPool, projection: Projection, *, bootstrap_servers: str, topic_prefix: str
) -> GroupConsumer[Outcome]:
    return GroupConsumer(
        pool,
        applier(projection),
        bootstrap_servers=bootstrap_servers,
        topic=f"{topic_prefix}.events",
        group=group_id(topic_prefix, projection.name),
        name=projection.name,
        describe=described,
        handle_run=run_applier(projection),
        handles=projection.handles,
    )


class DatabaseConcern(Protocol):
    @property
    def url(self) -> str: ...


class KafkaConcern(Protocol):
    @property
    def bootstrap_servers(self) -> str: ...
    @property
    def topic_prefix(self) -> str: ...


class ProjectorSettings(Protocol):
    """What the projector reads of ``commands.settings.Settings``."""

    @property
    def database(self) -> DatabaseConcern: ...
    @property
    def kafka(self) -> KafkaConcern: ...


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
        pool = ConnectionPool(settings.database.url, min_size=1, max_size=size, open=False)
        await asyncio.to_thread(pool.open, True)
    try:
        await asyncio.to_thread(setup, pool, projections)
        async with asyncio.TaskGroup() as tasks:
            for projection in projections:
                consumer = projection_consumer(
                    pool,
                    projection,
                    bootstrap_servers=settings.kafka.bootstrap_servers,
                    topic_prefix=settings.kafka.topic_prefix,
                )
                tasks.create_task(consumer.run_forever())
    finally:
        if own_pool:
            await asyncio.to_thread(pool.close)
