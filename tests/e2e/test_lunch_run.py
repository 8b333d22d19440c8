"""`lunch run` brings the whole stack up, announces its URL and stops cleanly."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from tests.e2e.stack import LunchRun

pytest.importorskip("api.app", reason="the api component is not in this build")


def health(url: str) -> int:
    with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
        return int(response.status)


def test_run_announces_a_healthy_url_and_stops_on_sigterm(tmp_path: Path) -> None:
    """The announced URL answers /health with 200; SIGTERM ends everything with code 0."""
    run = LunchRun(tmp_path / "data", demo=False)
    try:
        line = run.wait_up()
        assert line == f"Lunch is up: {run.url}"
        assert health(run.url) == 200
    finally:
        code = run.stop()
    log_tail = run.log_path.read_text(errors="replace")[-3000:]
    assert code == 0, log_tail
    assert not (tmp_path / "data" / "postgres" / "postmaster.pid").exists(), log_tail
