"""The relay's own rows: its position (the last notification id published and
acknowledged) and, per partition, the next offset and last notification id seen there."""

from __future__ import annotations

from typing import Any

import psycopg

from projections.engine import offsets

DDL = (
    """CREATE TABLE IF NOT EXISTS relay_position (
        topic text PRIMARY KEY,
        notification_id bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE IF NOT EXISTS relay_partitions (
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        notification_id bigint NOT NULL,
        PRIMARY KEY (topic, partition))""",
)

SAVE = """
WITH position AS (
    UPDATE relay_position SET notification_id = %(position)s, updated_at = now()
    WHERE topic = %(topic)s),
gone AS (
    DELETE FROM relay_partitions
    WHERE topic = %(topic)s AND NOT partition = ANY(%(partitions)s::integer[]))
INSERT INTO relay_partitions (topic, partition, next_offset, notification_id)
SELECT %(topic)s, p, nxt, nid
FROM unnest(%(partitions)s::integer[], %(next_offsets)s::bigint[], %(notification_ids)s::bigint[])
    AS saved (p, nxt, nid)
ON CONFLICT (topic, partition)
DO UPDATE SET next_offset = EXCLUDED.next_offset, notification_id = EXCLUDED.notification_id
"""


class RelayPositions:
    """The relay's rows for one topic, over one autocommit connection."""

    def __init__(self, db: psycopg.AsyncConnection[Any], topic: str) -> None:
        self.db = db
        self.topic = topic

    async def setup(self) -> None:
        async with self.db.transaction():
            # Consumers create consumer_offsets too: one lock for both.
            await self.db.execute("SELECT pg_advisory_xact_lock(%s)", [offsets.SETUP_LOCK])
            for statement in (*DDL, offsets.TABLE_DDL):
                await self.db.execute(statement)
            await self.db.execute(
                "INSERT INTO relay_position (topic, notification_id) VALUES (%s, 0)"
                " ON CONFLICT (topic) DO NOTHING",
                [self.topic],
            )

    async def load(self) -> tuple[int, offsets.Offsets]:
        """The position and the partitions' (next offset, notification id)."""
        cur = await self.db.execute(
            "SELECT notification_id FROM relay_position WHERE topic = %s", [self.topic]
        )
        row = await cur.fetchone()
        cur = await self.db.execute(
            "SELECT partition, next_offset, notification_id FROM relay_partitions WHERE topic = %s",
            [self.topic],
        )
        rows = await cur.fetchall()
        return (int(row[0]) if row else 0), {r[0]: (r[1], r[2]) for r in rows}

    async def save(self, position: int, partitions: offsets.Offsets) -> None:
        """One statement, so one round trip and atomic under autocommit: the position, each
        partition's row, and no row for a partition the topic no longer has."""
        rows = sorted(partitions.items())
        await self.db.execute(
            SAVE,
            {
                "topic": self.topic,
                "position": position,
                "partitions": [p for p, _ in rows],
                "next_offsets": [nxt for _, (nxt, _) in rows],
                "notification_ids": [nid for _, (_, nid) in rows],
            },
        )

    async def restart_point(self, position: int) -> int:
        """Where to republish from after a broker loss: the lowest notification id some
        consumer group has not handled yet, against what the relay last saved as
        published (0 when no group has handled anything)."""
        cur = await self.db.execute(offsets.HANDLED, [self.topic])
        rows = [(str(g), int(p), int(n)) for g, p, n in await cur.fetchall()]
        if not rows:
            return 0
        _, published = await self.load()
        behind = offsets.lowest_unhandled(rows, published)
        return position if behind is None else min(behind, position)
