"""How far each projection got: applied position, lag behind the store, parked messages."""

from __future__ import annotations

import msgspec
from psycopg_pool import ConnectionPool

from projections.catalogue import ALL
from projections.schema import setup


class ProjectionLag(msgspec.Struct, frozen=True, kw_only=True):
    projection: str
    applied: int
    handled: int
    lag: int
    parked: int


_POSITIONS = """
SELECT projection, max(notification_id), 0, 0 FROM read.tracking GROUP BY projection
UNION ALL
SELECT projection, 0, 0, count(*) FROM read.parked GROUP BY projection
UNION ALL
SELECT split_part(group_id, '.projection.', 2), 0, max(notification_id), 0
FROM consumer_offsets WHERE group_id LIKE '%.projection.%' GROUP BY 1
"""


def projection_status(pool: ConnectionPool, head: int) -> list[ProjectionLag]:
    """Per projection: the highest notification id applied to a read model, the highest one
    its consumer handled (applied, skipped, parked or not its concern), ``head`` (the event
    store's last notification id) minus the further of the two, and the parked count."""
    setup(pool, ALL)
    with pool.connection() as conn:
        rows = conn.execute(_POSITIONS).fetchall()
    applied: dict[str, int] = {}
    handled: dict[str, int] = {}
    parked: dict[str, int] = {}
    for name, position, consumed, count in rows:
        applied[name] = max(applied.get(name, 0), int(position))
        handled[name] = max(handled.get(name, 0), int(consumed))
        parked[name] = parked.get(name, 0) + int(count)
    return [
        ProjectionLag(
            projection=p.name,
            applied=applied.get(p.name, 0),
            handled=handled.get(p.name, 0),
            lag=max(head - max(applied.get(p.name, 0), handled.get(p.name, 0)), 0),
            parked=parked.get(p.name, 0),
        )
        for p in ALL
    ]
