"""The rebuild's bulk load: deferred indexes back after it (also after a failed rebuild),
the session's commit setting back to the pool's, statistics gathered."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from psycopg_pool import ConnectionPool

from commands.store import EventStore
from domain.events import Recorded
from projections.engine.rebuild import rebuild
from projections.models.catalogue import ALL
from tests.integration.history import History, office_history


def _indexes(pool: ConnectionPool) -> set[str]:
    with pool.connection() as conn:
        rows = conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'read'")
        return {str(name) for (name,) in rows}


def test_the_deferred_indexes_are_back_and_the_tables_analyzed(
    store: EventStore, pool: ConnectionPool
) -> None:
    events, _, _ = office_history(History())
    store.append(events)
    before = _indexes(pool)
    deferred = {index.split(".")[1] for p in ALL for index in p.deferred_indexes}
    assert deferred
    assert deferred <= before

    rebuild(pool, read_batch=store.read, show_progress=False)

    assert _indexes(pool) == before
    with pool.connection() as conn:
        setting = conn.execute("SHOW synchronous_commit").fetchone()
        analyzed = conn.execute(
            "SELECT attname FROM pg_stats WHERE schemaname = 'read' AND tablename = 'orders'"
        ).fetchall()
    assert setting == ("on",)
    assert ("tg_id",) in analyzed
    assert ("dishes",) not in analyzed


def test_a_failed_rebuild_builds_the_deferred_indexes_again(
    store: EventStore, pool: ConnectionPool
) -> None:
    events, _, _ = office_history(History())
    store.append(events)
    before = _indexes(pool)
    during: list[set[str]] = []

    def broken(after: int, limit: int) -> Sequence[Recorded]:
        if after > 0:
            during.append(_indexes(pool))
            raise ConnectionError("the store went away")
        return store.read(after, limit)

    with pytest.raises(ConnectionError):
        rebuild(pool, read_batch=broken, batch_size=3, show_progress=False)

    deferred = {index.split(".")[1] for p in ALL for index in p.deferred_indexes}
    assert during == [before - deferred]
    assert _indexes(pool) == before
