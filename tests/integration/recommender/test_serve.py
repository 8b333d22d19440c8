"""`lunch serve recommender`: runs until SIGTERM and shows the key pool on its own /metrics."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from recommender.keys import fingerprint

LUNCH = Path(sys.executable).with_name("lunch")
START_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def metrics_text(port: int) -> str:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    except httpx.HTTPError:
        return ""


def test_serve_exposes_key_state_and_stops_on_sigterm(
    database_url: str, redis_db_url: str, tmp_path: Path
) -> None:
    """The process reports each key by fingerprint (never the key) and exits 0 on SIGTERM."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_db_url,
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",
        "GEMINI_API_KEYS": "secret-key-one,secret-key-two",
        "RECOMMENDER_METRICS_PORT": str(port),
    }
    process = subprocess.Popen(
        [str(LUNCH), "serve", "recommender", "--data-dir", str(tmp_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wanted = f'lunch_gemini_key_state{{key="{fingerprint("secret-key-one")}",state="ready"}} 1.0'
    try:
        deadline = time.monotonic() + START_SECONDS
        text = ""
        while wanted not in text and time.monotonic() < deadline and process.poll() is None:
            text = metrics_text(port)
            time.sleep(0.2)
        assert wanted in text, text
        assert (
            f'lunch_gemini_key_requests_today{{key="{fingerprint("secret-key-two")}"}} 0.0' in text
        )
        assert "secret" not in text
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "secret-key" not in stderr
    assert "next recommendation run" in stderr
