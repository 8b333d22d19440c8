"""A consumer group's unit of work: the handler's work for a run of deliveries and the
group's stored offset, in one PostgreSQL transaction (so a message is applied exactly
when its position is saved)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from psycopg import Cursor
from psycopg_pool import ConnectionPool

from projections.engine import offsets
from projections.engine.handling import Delivery

R = TypeVar("R")

Handle = Callable[["Cursor[Any]", Delivery], R]
"""Does what a message means, in the given transaction; what it did."""

HandleRun = Callable[["Cursor[Any]", Sequence[Delivery]], list[R]]
"""Does what each of a run of one partition's messages means, in the given transaction;
what it did for each, in order."""


def each(handle: Handle[R]) -> HandleRun[R]:
    """A run handler calling ``handle`` on each delivery in turn."""

    def handle_run(cur: Cursor[Any], batch: Sequence[Delivery]) -> list[R]:
        return [handle(cur, delivery) for delivery in batch]

    return handle_run


def handle_in_transaction(
    pool: ConnectionPool, handle_run: HandleRun[R], group: str, topic: str, delivery: Delivery
) -> R:
    """One transaction: the handler's work and the group's offset."""
    (outcome,) = handle_all_in_transaction(pool, handle_run, group, topic, [delivery])
    return outcome


def handle_all_in_transaction(
    pool: ConnectionPool, run: HandleRun[R], group: str, topic: str, batch: Sequence[Delivery]
) -> list[R]:
    """One transaction for consecutive deliveries of one partition: the handler's work for
    each, and the group's offset once, at the last. A failure rolls back all of them, so
    they are handled again from the stored offset, as a single delivery would be."""
    with pool.connection() as conn, conn.transaction():
        cur = conn.cursor()
        outcomes = run(cur, batch)
        last = batch[-1]
        partition, offset = last.partition or 0, last.offset or 0
        offsets.save(cur, group, topic, partition, offset, last.notification_id)
    return outcomes
