"""A `lunch run` killed with SIGKILL leaves no component behind; tokens survive a restart."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest

from ops.processes import process_running
from tests.e2e.stack import LunchRun

pytest.importorskip("api.app", reason="the api component is not in this build")


def dev_token(url: str, tg_id: int) -> str:
    request = urllib.request.Request(
        f"{url}/api/auth/dev", data=json.dumps({"tg_id": tg_id}).encode(), method="POST"
    )
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.load(response)["token"])


def me_status(url: str, token: str) -> int:
    request = urllib.request.Request(f"{url}/api/me")
    request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def wait_gone(pids: list[int], timeout: float = 20.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while (alive := [p for p in pids if process_running(p)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


def test_killed_run_leaves_nothing_and_tokens_survive_the_next(tmp_path: Path) -> None:
    """SIGKILL on `lunch run` ends its components; the next run accepts the old token."""
    data = tmp_path / "data"
    first = LunchRun(data)
    try:
        first.wait_up()
        token = dev_token(first.url, 2001)
        children = list(json.loads((data / "run.json").read_text())["children"].values())
        assert children
        first.proc.kill()
        first.proc.wait(10)
        assert wait_gone(children) == []
    finally:
        first.stop()
    second = LunchRun(data)
    try:
        second.wait_up()
        assert me_status(second.url, token) == 200
    finally:
        code = second.stop()
    assert code == 0, second.log_path.read_text(errors="replace")[-3000:]
