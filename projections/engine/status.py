"""How far each projection got: applied position, lag behind the store, parked messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import msgspec
from psycopg_pool import ConnectionPool

from projections.engine.schema import setup
from projections.models.catalogue import ALL


class ProjectionLag(msgspec.Struct, frozen=True, kw_only=True):
    projection: str
    applied: int
    handled: int
    lag: int
    seconds: float
    parked: int


_POSITIONS = """
SELECT projection, max(notification_id), 0, 0 FROM read.tracking GROUP BY projection
UNION ALL
SELECT projection, 0, 0, count(*) FROM read.parked GROUP BY projection
UNION ALL
SELECT split_part(group_id, '.projection.', 2), 0, max(notification_id), 0
FROM consumer_offsets WHERE group_id LIKE '%.projection.%' GROUP BY 1
"""


FirstAfter = Callable[[int], dt.datetime | None]


def projection_status(
    pool: ConnectionPool,
    head: int,
    *,
    first_after: FirstAfter | None = None,
    now: dt.datetime | None = None,
) -> list[ProjectionLag]:
    """Per projection: the highest notification id applied to a read model, the highest one
    its consumer handled (applied, skipped, parked or not its concern), ``head`` (the event
    store's last notification id) minus the further of the two, and the parked count.

    ``seconds`` is how long the oldest event the projection has not reached has waited:
    ``now`` minus the time of the first event after its position (``first_after``), 0 when
    it is caught up or when ``first_after`` is not given."""
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
    moment = now or dt.datetime.now(dt.UTC)
    waited: dict[int, float] = {}

    def seconds_behind(position: int) -> float:
        if position >= head or first_after is None:
            return 0.0
        if position not in waited:
            oldest = first_after(position)
            waited[position] = max((moment - oldest).total_seconds(), 0.0) if oldest else 0.0
        return waited[position]

    lags = []
    for p in ALL:
        position = max(applied.get(p.name, 0), handled.get(p.name, 0))
        lags.append(
            ProjectionLag(
                projection=p.name,
                applied=applied.get(p.name, 0),
                handled=handled.get(p.name, 0),
                lag=max(head - position, 0),
                seconds=round(seconds_behind(position), 3),
                parked=parked.get(p.name, 0),
            )
        )
    return lags
