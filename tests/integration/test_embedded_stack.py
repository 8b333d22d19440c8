"""The embedded stack of `lunch run` keeps PostgreSQL and Redis data across restarts."""

from __future__ import annotations

from pathlib import Path

import psycopg
import redis

from ops.embedded import EmbeddedStack


def test_data_survives_a_restart(tmp_path: Path) -> None:
    """A row and a key written before a stop are there after the next start."""
    stack = EmbeddedStack(tmp_path / "data")
    env = stack.start()
    try:
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (v text)")
            conn.execute("INSERT INTO kept VALUES ('soup')")
        redis.Redis.from_url(env["REDIS_URL"]).set("kept", "salad")
    finally:
        stack.stop()

    again = EmbeddedStack(tmp_path / "data")
    env = again.start()
    try:
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            row = conn.execute("SELECT v FROM kept").fetchone()
        value = redis.Redis.from_url(env["REDIS_URL"]).get("kept")
    finally:
        again.stop()
    assert row == ("soup",)
    assert value == b"salad"
    assert env["KAFKA_IDEMPOTENCE"] == "0"
