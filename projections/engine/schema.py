"""The `read` schema's shared tables: tracking, parked messages and consumer offsets."""

from __future__ import annotations

from collections.abc import Iterable

from psycopg_pool import ConnectionPool

from projections.engine import offsets
from projections.engine.base import Projection

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
    offsets.TABLE_DDL,
)

_SETUP_LOCK = offsets.SETUP_LOCK


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
