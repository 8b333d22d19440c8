"""The one owner of ``consumer_offsets``: per consumer group and partition, the next Kafka
offset and the notification id of the last message handled.

Consumers write their row in the same transaction as what they did with the message and
seek from it on start; after a broker loss the relay republishes from the lowest
notification id some group has not handled yet (``handled``).
"""

from __future__ import annotations

from typing import Any

from psycopg import Cursor
from psycopg_pool import ConnectionPool

from projections.engine.base import lock_id

TABLE_DDL = """CREATE TABLE IF NOT EXISTS consumer_offsets (
    group_id text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    next_offset bigint NOT NULL,
    notification_id bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, topic, partition))"""

SETUP_LOCK = lock_id("read-schema-setup")
"""Taken by whoever creates shared tables: concurrent CREATE ... IF NOT EXISTS collide."""

HANDLED = """SELECT group_id, partition, notification_id FROM consumer_offsets
WHERE topic = %s"""

_SAVE = """INSERT INTO consumer_offsets (group_id, topic, partition, next_offset,
    notification_id, updated_at)
VALUES (%s, %s, %s, %s, %s, now())
ON CONFLICT (group_id, topic, partition) DO UPDATE SET
    next_offset = EXCLUDED.next_offset,
    notification_id = EXCLUDED.notification_id, updated_at = now()"""

Offsets = dict[int, tuple[int, int]]
"""partition -> (next offset, notification id of the last handled message)."""


def save(
    cur: Cursor[Any], group: str, topic: str, partition: int, offset: int, notification_id: int
) -> None:
    """Record, in the caller's transaction, that ``group`` handled the message at
    ``offset``."""
    cur.execute(_SAVE, [group, topic, partition, offset + 1, notification_id])


def stored(pool: ConnectionPool, group: str, topic: str) -> Offsets:
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT partition, next_offset, notification_id FROM consumer_offsets"
            " WHERE group_id = %s AND topic = %s",
            [group, topic],
        ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def lowest_unhandled(rows: list[tuple[str, int, int]], published: Offsets) -> int | None:
    """Given every group's (group, partition, notification id) rows and, per partition, the
    last notification id published there: the lowest notification id some group has
    handled in a partition where it has not handled the last message; None when every
    group is up to date."""
    handled: dict[str, dict[int, int]] = {}
    for group, partition, notification_id in rows:
        handled.setdefault(group, {})[partition] = notification_id
    behind = [
        seen.get(partition, 0)
        for seen in handled.values()
        for partition, (_, last) in published.items()
        if seen.get(partition, 0) < last
    ]
    return min(behind, default=None)
