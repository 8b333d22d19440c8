"""The gauges /metrics shows besides request counts, refreshed at most every few seconds.

Each refresh costs a handful of small queries (the event store's head, the projections'
positions, the Kafka positions the relay and the consumers keep in PostgreSQL) and one
Redis INFO; a scrape within ``REFRESH_SECONDS`` of the last refresh reuses its values, and
concurrent scrapes share one refresh. Kafka lag comes from those stored positions, not from
the broker: the relay records each partition's next offset as it publishes, each consumer
group its own next offset as it handles a message.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from typing import Any

import anyio
import anyio.to_thread

from api.context import Context
from projections.engine.status import projection_status

log = logging.getLogger("lunch.api")

REFRESH_SECONDS = 5.0
CHECK_SECONDS = 2.0

# Per consumer group (one per projection): messages the relay has published to a partition
# that the group has not handled yet, summed over the topic's partitions.
_CONSUMER_LAG = """
SELECT split_part(g.group_id, '.projection.', 2),
       sum(greatest(r.next_offset - coalesce(c.next_offset, 0), 0))
FROM relay_partitions r
CROSS JOIN (SELECT DISTINCT group_id FROM consumer_offsets
            WHERE topic = %(topic)s AND group_id LIKE '%%.projection.%%') g
LEFT JOIN consumer_offsets c
    ON c.group_id = g.group_id AND c.topic = r.topic AND c.partition = r.partition
WHERE r.topic = %(topic)s
GROUP BY 1
"""
_RELAY_POSITION = "SELECT notification_id FROM relay_position WHERE topic = %s"
_HAS_RELAY_TABLES = (
    "SELECT to_regclass('relay_partitions') IS NOT NULL"
    " AND to_regclass('relay_position') IS NOT NULL"
    " AND to_regclass('consumer_offsets') IS NOT NULL"
)


async def db_head(ctx: Context) -> int | None:
    """The event store's head, or None when PostgreSQL does not answer in time."""
    try:
        with anyio.fail_after(CHECK_SECONDS):
            head: int = await anyio.to_thread.run_sync(
                ctx.service.store.head, abandon_on_cancel=True
            )
    except Exception as e:  # any failure means "down"
        log.warning("db health check failed", extra={"error": repr(e)})
        return None
    ctx.metrics.event_store_head.set(head)
    return head


def first_event_time(ctx: Context, position: int) -> dt.datetime | None:
    """When the first event after ``position`` was recorded (for lag in seconds)."""
    found = ctx.service.store.read(position, 1)
    return found[0].event.at if found else None


def kafka_positions(ctx: Context) -> tuple[int | None, dict[str, int]]:
    """The relay's published notification id, and each projection's consumer lag."""
    topic = ctx.settings.kafka.events_topic
    with ctx.queries.pool.connection() as conn:
        row = conn.execute(_HAS_RELAY_TABLES).fetchone()
        if not row or not row[0]:
            return None, {}
        published = conn.execute(_RELAY_POSITION, [topic]).fetchone()
        lags = conn.execute(_CONSUMER_LAG, {"topic": topic}).fetchall()
    return (int(published[0]) if published else None), {str(n): int(lag) for n, lag in lags}


async def _projections(ctx: Context, head: int) -> None:
    metrics = ctx.metrics
    try:
        lags = await ctx.run(
            projection_status,
            ctx.queries.pool,
            head,
            first_after=functools.partial(first_event_time, ctx),
            now=ctx.now(),
        )
    except Exception as e:  # metrics must answer even when the read side is broken
        log.warning("projection status unavailable", extra={"error": repr(e)})
        return
    for lag in lags:
        metrics.projection_applied.labels(lag.projection).set(lag.applied)
        metrics.projection_lag.labels(lag.projection).set(lag.lag)
        metrics.projection_lag_seconds.labels(lag.projection).set(lag.seconds)
        metrics.projection_parked.labels(lag.projection).set(lag.parked)


async def _kafka(ctx: Context, head: int) -> None:
    try:
        published, lags = await ctx.run(kafka_positions, ctx)
    except Exception as e:  # as above: a broken query must not break the scrape
        log.warning("kafka positions unavailable", extra={"error": repr(e)})
        return
    if published is not None:
        ctx.metrics.relay_lag.set(max(head - published, 0))
    for projection, lag in lags.items():
        ctx.metrics.consumer_lag.labels(projection).set(lag)


async def _redis(ctx: Context) -> None:
    try:
        with anyio.fail_after(CHECK_SECONDS):
            info: dict[str, Any] = await ctx.redis.info("memory")
    except Exception as e:  # Redis down: keep the last value, say so in the log
        log.warning("redis memory unavailable", extra={"error": repr(e)})
        return
    ctx.metrics.redis_used_memory.set(int(info.get("used_memory", 0)))


async def refresh(ctx: Context) -> None:
    """Bring the gauges up to date unless another scrape did so moments ago."""
    metrics = ctx.metrics
    async with metrics.refreshing:
        if time.monotonic() - metrics.refreshed_at < REFRESH_SECONDS:
            return
        head = await db_head(ctx)
        if head is not None:
            await _projections(ctx, head)
            await _kafka(ctx, head)
        await _redis(ctx)
        metrics.refreshed_at = time.monotonic()
