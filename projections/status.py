"""How far each projection got: applied position, lag behind the store, parked messages."""

from __future__ import annotations

import msgspec
from psycopg_pool import ConnectionPool

from projections.catalogue import ALL
from projections.schema import setup


class ProjectionLag(msgspec.Struct, frozen=True, kw_only=True):
    projection: str
    applied: int
    lag: int
    parked: int


def projection_status(pool: ConnectionPool, head: int) -> list[ProjectionLag]:
    """Per projection: the highest notification id applied, ``head`` minus it, parked count.

    ``head`` is the event store's last notification id. The lag counts every event after
    the applied one, including those the projection does not read.
    """
    setup(pool, ALL)
    with pool.connection() as conn:
        rows = conn.execute(
            """SELECT projection, max(notification_id), 0 FROM read.tracking GROUP BY projection
               UNION ALL
               SELECT projection, 0, count(*) FROM read.parked GROUP BY projection"""
        ).fetchall()
    applied: dict[str, int] = {}
    parked: dict[str, int] = {}
    for name, position, count in rows:
        applied[name] = max(applied.get(name, 0), int(position))
        parked[name] = parked.get(name, 0) + int(count)
    return [
        ProjectionLag(
            projection=p.name,
            applied=int(applied.get(p.name, 0)),
            lag=max(head - int(applied.get(p.name, 0)), 0),
            parked=int(parked.get(p.name, 0)),
        )
        for p in ALL
    ]
