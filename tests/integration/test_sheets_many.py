"""Several cafe-days' sheets, and several keys' positions, each read in one go."""

from __future__ import annotations

import uuid

from psycopg_pool import ConnectionPool

from commands.store import EventStore
from projections.models import sheets
from projections.reads.queries import Queries
from tests.integration.history import DAY
from tests.integration.test_reports import NEXT_DAY, Office, _deliver_all


def test_sheets_read_together_are_the_sheets_read_one_by_one(
    store: EventStore, pool: ConnectionPool
) -> None:
    """Cafe-days with orders, without any, and of an unknown cafe (None), in one call."""
    office = Office()
    store.append(office.events)
    _deliver_all(store, pool)
    queries = Queries(pool)
    unknown = uuid.uuid4()
    days = [
        (office.blini.id, DAY),
        (office.pho.id, DAY),
        (office.pho.id, NEXT_DAY),
        (office.blini.id, NEXT_DAY),
        (unknown, DAY),
    ]

    together = queries.cafe_day_sheets(days)

    assert together == {day: queries.cafe_day_sheet(*day) for day in days}
    assert together[unknown, DAY] is None
    blini = together[office.blini.id, DAY]
    assert blini is not None
    assert [line.name for line in blini.orders] == ["Anna", "Boris"]


def test_positions_read_together(store: EventStore, pool: ConnectionPool) -> None:
    office = Office()
    store.append(office.events)
    _deliver_all(store, pool)
    queries = Queries(pool)
    keys = [str(office.blini.id), str(office.pho.id), "never-applied"]

    positions = queries.applied_many(sheets.NAME, keys)

    assert positions == {key: queries.applied(sheets.NAME, key) for key in keys}
    assert positions["never-applied"] == 0
    assert positions[str(office.blini.id)] > 0
