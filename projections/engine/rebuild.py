"""Rebuild read models by replaying the event store through the projections' own code.

While it runs it holds each chosen projection's advisory lock, so the Kafka consumer of
that projection waits; afterwards every key's tracking row holds the last notification
id replayed for it, so the consumer skips everything already applied and continues
with what follows, without gap or double. The emptied tables are filled as a bulk load
(engine.bulk_load): deferred indexes built at the end, batch commits not waited on.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import msgspec
from psycopg import Connection, sql
from psycopg_pool import ConnectionPool
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from domain.events import Recorded
from projections.engine.base import Projection, lock_id
from projections.engine.batches import Tally, replay_batch
from projections.engine.bulk_load import drop_deferred_indexes, finish, unwaited_commits
from projections.engine.schema import setup
from projections.models.catalogue import select

ReadBatch = Callable[[int, int], Sequence[Recorded]]


class RebuildResult(msgspec.Struct, frozen=True, kw_only=True):
    projections: tuple[str, ...]
    events: int
    applied: int
    parked: int
    position: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else float(self.events)


def _reset(conn: Connection[Any], projections: Sequence[Projection]) -> None:
    names = [p.name for p in projections]
    with conn.transaction():
        tables = [table for p in projections for table in p.tables]
        conn.execute(sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(map(sql.SQL, tables))))
        conn.execute("DELETE FROM read.tracking WHERE projection = ANY(%s)", [names])
        conn.execute("DELETE FROM read.parked WHERE projection = ANY(%s)", [names])
        drop_deferred_indexes(conn, projections)


@contextmanager
def fewer_collections(threshold: int = 50_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often meanwhile.

    A batch decodes into tens of thousands of short-lived container objects (events, their
    ids and tuples); at the default threshold of 700 allocations the collector would run
    every few events and rescan the live batch each time. The batches are freed by
    reference counting alone.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(threshold, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def read_ahead(read_batch: ReadBatch, batch_size: int) -> Iterator[Sequence[Recorded]]:
    """The store's events in batches, each read in a thread while the one before applies."""
    with ThreadPoolExecutor(1, thread_name_prefix="rebuild-read") as reader:
        pending = reader.submit(read_batch, 0, batch_size)
        while batch := pending.result():
            pending = reader.submit(read_batch, batch[-1].notification_id, batch_size)
            yield batch


def rebuild(
    pool: ConnectionPool,
    projections: Iterable[Projection | str] = (),
    *,
    read_batch: ReadBatch,
    batch_size: int = 20_000,
    head: int | None = None,
    show_progress: bool = True,
) -> RebuildResult:
    """Empty the chosen projections (all when none is named) and replay the store into them.

    ``read_batch(after, limit)`` returns events with notification id > ``after``, ascending
    (``EventStore.read``); ``head`` (``EventStore.head()``) sizes the progress bar.
    """
    chosen = select(projections)
    console = Console(stderr=True)
    setup(pool, chosen)
    started = time.monotonic()
    events = position = 0
    tally = Tally()
    columns = (
        TextColumn("rebuilding {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with pool.connection() as conn:
        conn.autocommit = True
        for projection in sorted(chosen, key=lambda p: p.name):
            conn.execute("SELECT pg_advisory_lock(%s)", [lock_id(projection.name)])
        conn.autocommit = False
        try:
            with (
                unwaited_commits(conn),
                Progress(*columns, console=console, disable=not show_progress) as progress,
                fewer_collections(),
            ):
                _reset(conn, chosen)
                loaders = {p.name: p.loader() for p in chosen if p.loader is not None}
                task = progress.add_task(", ".join(p.name for p in chosen), total=head)
                for batch in read_ahead(read_batch, batch_size):
                    replay_batch(conn, chosen, batch, tally, loaders)
                    events += len(batch)
                    position = batch[-1].notification_id
                    progress.update(task, completed=position)
        finally:
            conn.rollback()
            finish(conn, chosen)
            conn.autocommit = True
            for projection in chosen:
                conn.execute("SELECT pg_advisory_unlock(%s)", [lock_id(projection.name)])
            conn.autocommit = False
    result = RebuildResult(
        projections=tuple(p.name for p in chosen),
        events=events,
        applied=tally.applied,
        parked=tally.parked,
        position=position,
        seconds=time.monotonic() - started,
    )
    console.print(
        f"rebuilt {', '.join(result.projections)}: {result.events} events up to "
        f"{result.position} in {result.seconds:.2f}s ({result.rate:.0f} events/s),"
        f" {result.parked} parked"
    )
    return result
