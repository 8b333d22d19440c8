"""B1's yardsticks on the same PostgreSQL: pgbench single-row INSERTs and the CRUD app."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg

from ops.processes import free_port
from tests.bench.load import CONNECTIONS, Load
from tests.bench.stack import REPO

RAW_TABLE = """CREATE TABLE IF NOT EXISTS bench_raw_orders (
    id bigserial PRIMARY KEY, tg_id bigint NOT NULL, cafe_id uuid NOT NULL, date date NOT NULL,
    dishes jsonb NOT NULL, placed_at timestamptz NOT NULL DEFAULT now())"""
RAW_INSERT = """\\set tg random(1, 1000000)
INSERT INTO bench_raw_orders (tg_id, cafe_id, date, dishes) VALUES (:tg,
 'b7a1c3e2-5d4f-4a8b-9c1d-2e3f4a5b6c7d', current_date, '{"main": "pelmeni"}');
"""


def _pgbench() -> str:
    from pgserver._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / "pgbench")


def _percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def raw_inserts(database_url: str, seconds: int, clients: int = CONNECTIONS) -> Load:
    """Single-row INSERT transactions by pgbench at ``clients`` concurrent connections."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(RAW_TABLE)
    parts = urlsplit(database_url)
    with tempfile.TemporaryDirectory(prefix="lunch-pgbench-") as tmp:
        script = Path(tmp) / "insert.sql"
        script.write_text(RAW_INSERT)
        argv = [_pgbench(), "-n", "-c", str(clients), "-j", "2", "-T", str(seconds)]
        argv += ["-f", str(script), "-l", "--log-prefix", f"{tmp}/tx"]
        argv += ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
        argv += ["-U", parts.username or "postgres", parts.path.lstrip("/") or "postgres"]
        done = subprocess.run(argv, capture_output=True, text=True, cwd=tmp, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"pgbench exited {done.returncode}: {done.stderr.strip()[-2000:]}")
        micros = [
            float(line.split()[2])
            for log in Path(tmp).glob("tx*")
            for line in log.read_text().splitlines()
        ]
    return Load(
        requests=len(micros),
        seconds=float(seconds),
        p50_ms=_percentile(micros, 50) / 1000,
        p99_ms=_percentile(micros, 99) / 1000,
        errors=0,
    )


class CrudServer:
    """The CRUD yardstick app under uvicorn with ``workers`` processes, on a free port."""

    def __init__(self, database_url: str, workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = [sys.executable, "-m", "uvicorn", "tests.bench.crud_app:create_app", "--factory"]
        argv += ["--port", str(self.port), "--workers", str(workers), "--log-level", "warning"]
        env = {**os.environ, "DATABASE_URL": database_url}
        self.proc = subprocess.Popen(argv, cwd=REPO, env=env, start_new_session=True)

    def __enter__(self) -> CrudServer:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                # Any HTTP answer means it listens (GET on a POST route: 405).
                httpx.get(f"{self.url}/api/orders", timeout=1)
                return self
            except httpx.TransportError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("the CRUD yardstick app did not start")

    def __exit__(self, *_: object) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
