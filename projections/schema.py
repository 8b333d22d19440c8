"""The `read` schema's shared tables: tracking, parked messages and consumer offsets."""

from __future__ import annotations

from collections.abc import Iterable

from psycopg_pool import ConnectionPool

from projections.base import Projection, lock_id

TRACKING_DDL = (
    "CREATE SCHEMA IF NOT EXISTS read",
    # Per projection and key: the last applied notification id. Anything at or below it
    # is a duplicate (redelivery, republish after a broker loss, rebuild handover).
    """CREATE TABLE IF NOT EXISTS read.tracking (
        projection text NOT NULL,
        key text NOT NULL,
        notification_id bigint NOT NULL,
        PRIMARY KEY (projection, key))""",
    """CREATE TABLE IF NOT EXISTS read.parked (
        projection text NOT NULL,
        notification_id bigint NOT NULL,
        key text NOT NULL,
        partition integer,
        "offset" bigint,
        type text NOT NULL,
        originator_id uuid,
        originator_version bigint,
        payload bytea NOT NULL,
        error text NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, notification_id))""",
    "CREATE INDEX IF NOT EXISTS parked_by_key ON read.parked (projection, key, notification_id)",
    # Shared with the relay (same DDL in commands.relay): per consumer group and
    # partition, the next Kafka offset and the notification id of the last handled
    # message. Consumers seek from here; after a broker loss the relay republishes
    # from the lowest notification id some group has not handled yet.
    """CREATE TABLE IF NOT EXISTS consumer_offsets (
        group_id text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        notification_id bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, topic, partition))""",
)

_SETUP_LOCK = lock_id("read-schema-setup")


def setup(pool: ConnectionPool, projections: Iterable[Projection]) -> None:
    """Create the schema, shared tables and the projections' tables if absent."""
    with pool.connection() as conn, conn.transaction():
        # Concurrent CREATE ... IF NOT EXISTS can still collide in the catalogue.
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_SETUP_LOCK])
        for statement in TRACKING_DDL:
            conn.execute(statement)
        for projection in projections:
            for statement in projection.ddl:
                conn.execute(statement)
