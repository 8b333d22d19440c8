"""The embedded stack of `lunch run` keeps PostgreSQL and Redis data across restarts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import redis

from ops.embedded import EmbeddedStack, process_running


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


def test_servers_left_by_a_killed_run_are_ended(tmp_path: Path) -> None:
    """A run killed with SIGKILL leaves servers behind; the next start ends them first."""
    script = (
        "import os, signal, sys; from pathlib import Path; from ops.embedded import EmbeddedStack;"
        "EmbeddedStack(Path(sys.argv[1])).start(); os.kill(os.getpid(), signal.SIGKILL)"
    )
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-c", script, str(data)], check=False)
    stale = [int((data / name).read_text()) for name in ("redis/redis.pid", "logs/tansu.pid")]
    assert all(process_running(pid) for pid in stale)

    stack = EmbeddedStack(data)
    stack.start()
    stack.stop()
    assert not any(process_running(pid) for pid in stale)
