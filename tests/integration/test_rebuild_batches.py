"""The rebuild's batches: one transaction each, and the consumer's parking when one fails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from psycopg import Cursor
from psycopg_pool import ConnectionPool

from commands.store import EventStore
from domain.events import Recorded
from projections import menus, orders
from projections.base import Projection
from projections.catalogue import ALL
from projections.handling import Outcome
from projections.parking import parked
from projections.rebuild import rebuild
from projections.schema import setup
from tests.integration.history import DAY, History, office_history, place
from tests.integration.read_side import deliver, dump, expected_tracking


@pytest.fixture
def store(database_url: str) -> Iterator[EventStore]:
    store = EventStore(database_url)
    store.setup()
    yield store
    store.close()


@pytest.fixture
def pool(database_url: str) -> Iterator[ConnectionPool]:
    with ConnectionPool(database_url, min_size=1, max_size=4) as pool:
        setup(pool, ALL)
        yield pool


class Failing:
    """A projection's apply that fails on chosen notification ids."""

    def __init__(self, apply: Any, failing: set[int]) -> None:
        self.inner = apply
        self.failing = failing

    def __call__(self, cur: Cursor[Any], recorded: Recorded) -> None:
        if recorded.notification_id in self.failing:
            raise RuntimeError("cannot apply")
        self.inner(cur, recorded)


def failing(projection: Projection, failing: set[int]) -> Projection:
    return Projection(
        name=projection.name,
        handles=projection.handles,
        tables=projection.tables,
        ddl=projection.ddl,
        apply=Failing(projection.apply, failing),
    )


def test_batch_size_changes_nothing(store: EventStore, pool: ConnectionPool) -> None:
    """Rebuilds in batches of 1, 4 and 1000 events leave the same rows and tracking, one row
    per key holding the key's last notification id."""
    h = History()
    events, blini, pho = office_history(h)
    events += [place(h, cafe, 2002, date=DAY + dt.timedelta(days=d)) for d in range(2, 9)
               for cafe in (blini, pho)]  # fmt: skip
    store.append(events)
    recorded = store.read(0, 1000)

    last = recorded[-1].notification_id
    dumps = []
    for size in (1, 4, 1000):
        result = rebuild(pool, read_batch=store.read, batch_size=size, show_progress=False)
        assert (result.events, result.position, result.parked) == (len(recorded), last, 0)
        dumps.append(dump(pool))

    assert dumps[0] == dumps[1] == dumps[2]
    for projection in ALL:
        assert dumps[0][f"tracking:{projection.name}"] == expected_tracking(recorded, projection)


def test_a_failing_event_is_parked_and_the_rest_of_its_batch_applies(
    store: EventStore, pool: ConnectionPool
) -> None:
    """In a rebuild, an event that fails is parked with its error as the consumer would park
    it; its key's later events wait behind it; other keys and projections apply."""
    h = History()
    events, blini, pho = office_history(h)
    store.append(events)
    head = store.head()
    store.append(
        [
            place(h, blini, 2002, date=DAY + dt.timedelta(days=5)),
            place(h, pho, 2001, date=DAY + dt.timedelta(days=5)),
            place(h, blini, 2003, date=DAY + dt.timedelta(days=5)),
            place(h, blini, 2001, date=DAY + dt.timedelta(days=6)),
        ]
    )
    poison, other, behind, later = store.read(head, 10)
    broken = failing(orders.projection, {poison.notification_id})
    chosen = [menus.projection, broken]

    result = rebuild(pool, chosen, read_batch=store.read, batch_size=1000, show_progress=False)
    rebuilt = dump(pool, chosen)
    held = [(p.notification_id, p.key, p.error) for p in parked(pool, "orders")]

    assert result.parked == 3
    waiting = f"waiting behind parked notification {poison.notification_id}"
    assert held == [
        (poison.notification_id, str(blini.id), "RuntimeError: cannot apply"),
        (behind.notification_id, str(blini.id), waiting),
        (later.notification_id, str(blini.id), waiting),
    ]
    ordered = {(row[1], row[4]) for row in rebuilt["read.orders"]}
    assert (2001, DAY + dt.timedelta(days=5)) in ordered
    assert (2002, DAY + dt.timedelta(days=5)) not in ordered
    tracking = dict(rebuilt["tracking:orders"])
    assert tracking[str(pho.id)] == other.notification_id
    assert tracking[str(blini.id)] < poison.notification_id

    with pool.connection() as conn:
        conn.execute("TRUNCATE read.orders, read.menus, read.menu_closures, read.parked")
        conn.execute("DELETE FROM read.tracking")
    outcomes = deliver(pool, store.read(0, 1000), chosen)
    assert outcomes.count(Outcome.PARKED) == 3
    assert dump(pool, chosen) == rebuilt
    assert [(p.notification_id, p.key, p.error) for p in parked(pool, "orders")] == held
