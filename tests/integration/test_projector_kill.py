"""A projector killed with SIGKILL in the middle of its work loses and doubles nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from psycopg_pool import ConnectionPool

from commands.store.postgres import PostgresEventStore
from projections.engine.rebuild import rebuild
from projections.engine.relay import Relay, RelayOptions
from projections.models.catalogue import ALL
from tests.bench.generate import fill
from tests.integration.kafka_side import caught_up, eventually, publish_all
from tests.integration.read_side import dump

EVENTS = 4_000
ROOT = Path(__file__).resolve().parents[2]


def start_projector(
    database_url: str, kafka_bootstrap: str, topic_prefix: str
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "KAFKA_TOPIC_PREFIX": topic_prefix,
        "KAFKA_IDEMPOTENCE": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "ops.cli", "serve", "projector"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def applied(pool: ConnectionPool) -> int:
    with pool.connection() as conn:
        row = conn.execute("SELECT count(*) FROM read.orders").fetchone()
    return int(row[0]) if row else 0


@pytest.mark.timeout(300)
async def test_sigkill_mid_batch_then_restart_equals_a_rebuild(
    store: PostgresEventStore,
    pool: ConnectionPool,
    database_url: str,
    kafka_bootstrap: str,
    topic_prefix: str,
) -> None:
    """Kill -9 while applying, restart: the read models equal a fresh rebuild of the store."""
    fill(store, EVENTS)
    relay = Relay(
        store,
        bootstrap_servers=kafka_bootstrap,
        topic=f"{topic_prefix}.events",
        options=RelayOptions(idempotence=False),
    )
    await relay.start()
    try:
        await publish_all(relay)
    finally:
        await relay.stop()

    first = start_projector(database_url, kafka_bootstrap, topic_prefix)
    try:
        await eventually(lambda: applied(pool) > 0, "the projector to start applying")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    partial = applied(pool)
    assert not caught_up(pool, store)(), "killed before it caught up"

    second = start_projector(database_url, kafka_bootstrap, topic_prefix)
    try:
        await eventually(caught_up(pool, store), "the restarted projector to catch up", within=180)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    live = dump(pool)
    rebuild(pool, ALL, read_batch=store.read, show_progress=False)
    assert dump(pool) == live
    assert partial < applied(pool)
