"""A fetched run applied at once leaves what the same messages applied one at a time leave:
the same rows, tracking, outcomes and parked messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import msgspec
from psycopg_pool import ConnectionPool

from commands.store import EventStore
from domain.events import Recorded
from projections.engine.base import Projection
from projections.engine.handling import Delivery, Outcome
from projections.engine.parking import parked
from projections.engine.projector import group_id, run_applier
from projections.engine.runs import handle_all_in_transaction
from projections.models import orders
from projections.models.catalogue import ALL
from tests.integration.history import DAY, History, office_history, place
from tests.integration.read_side import TOPIC, Flaky, deliver, dump, expected_tracking


def deliver_run(
    pool: ConnectionPool, recorded: Sequence[Recorded], projections: Sequence[Projection] = ALL
) -> list[list[Outcome]]:
    """Handle ``recorded`` as one fetched run of partition 0, per projection."""
    batch = [
        msgspec.structs.replace(Delivery.of(r), partition=0, offset=i)
        for i, r in enumerate(recorded)
    ]
    return [
        handle_all_in_transaction(pool, run_applier(p), group_id("test", p.name), TOPIC, batch)
        for p in projections
    ]


def forget(pool: ConnectionPool) -> None:
    """Empty every read model, its tracking and parked messages."""
    with pool.connection() as conn:
        for projection in ALL:
            for table in projection.tables:
                conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM read.tracking")
        conn.execute("DELETE FROM read.parked")


def test_a_run_leaves_what_one_at_a_time_leaves(store: EventStore, pool: ConnectionPool) -> None:
    events, _, _ = office_history(History())
    store.append(events)
    recorded = store.read(0, 1000)
    deliver(pool, recorded)
    one_by_one = dump(pool)
    forget(pool)

    deliver_run(pool, recorded[:5])
    outcomes = deliver_run(pool, recorded)  # the first five again: skipped

    assert dump(pool) == one_by_one
    for projection, got in zip(ALL, outcomes, strict=True):
        assert set(got[:5]) <= {Outcome.SKIPPED, Outcome.IGNORED}
        assert one_by_one[f"tracking:{projection.name}"] == expected_tracking(recorded, projection)


def test_a_failure_in_a_run_parks_as_one_at_a_time(store: EventStore, pool: ConnectionPool) -> None:
    """The failing message and its key's later ones are parked, the rest of the run applies,
    and a rerun of the run skips what is parked."""
    h = History()
    events, blini, pho = office_history(h)
    store.append(events)
    deliver(pool, store.read(0, 1000))
    head = store.head()
    day5 = DAY + dt.timedelta(days=5)
    store.append(
        [
            place(h, pho, 2003, date=day5),
            place(h, blini, 2002, date=day5),
            place(h, blini, 2003, date=day5),
            place(h, pho, 2001, date=day5),
        ]
    )
    flaky = Flaky()
    projection = Projection(
        name="orders", handles=orders.projection.handles, tables=(), ddl=(), apply=flaky.apply
    )
    run = store.read(head, 10)
    flaky.failing = {run[1].notification_id}

    [outcomes] = deliver_run(pool, run, [projection])
    [again] = deliver_run(pool, run, [projection])
    after_run = dump(pool, [orders.projection])

    assert outcomes == [Outcome.APPLIED, Outcome.PARKED, Outcome.PARKED, Outcome.APPLIED]
    assert again == [Outcome.SKIPPED] * 4
    held = parked(pool, "orders")
    assert [(p.notification_id, p.key) for p in held] == [
        (run[1].notification_id, str(blini.id)),
        (run[2].notification_id, str(blini.id)),
    ]
    assert "RuntimeError: cannot apply" in held[0].error
    assert f"waiting behind parked notification {run[1].notification_id}" in held[1].error

    forget(pool)
    deliver(pool, store.read(0, head))
    assert deliver(pool, run, [projection]) == outcomes
    assert dump(pool, [orders.projection]) == after_run
