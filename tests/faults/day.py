"""The end of a fault case's day: the cafe linked to a chat on the fake Bot API, the day
closed, its dispatch counted in that chat and in the dispatch log, and `lunch audit verify`
run against the store the case left behind."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.fakes.telegram_thread import FakeTelegramThread
from tests.faults.harness import ROOT, wait_until
from tests.integration.api.office import Office

CHAT = -100_777
REPEAT = "🔁"


def link(client: httpx.Client, office: Office, thread: FakeTelegramThread) -> None:
    """/start in the kitchen's group, the manager approves, the bot's test message arrives."""
    fake = thread.fake
    thread.call(fake.command, CHAT, "/start", user_id=9001, title="Kitchen")
    requests: list[dict[str, Any]] = []

    def listed() -> bool:
        answer = client.get("/api/cafe-requests", headers=office.manager)
        if answer.status_code == 429:  # a case that keeps the per-user limit low
            return False
        assert answer.status_code == 200, answer.text
        requests[:] = [r for r in answer.json() if r["chat_id"] == CHAT]
        return bool(requests)

    wait_until(listed, "the link request", 120)
    approved = client.post(
        f"/api/cafe-requests/{requests[0]['id']}/approve",
        json={"cafe_id": office.cafe_id},
        headers=office.manager,
    )
    assert approved.status_code == 200, approved.text
    wait_until(lambda: len(thread.call(fake.texts, CHAT)) >= 2, "the bot's test message")


def dispatches(client: httpx.Client, office: Office, day: str) -> list[dict[str, Any]]:
    answer = client.get(
        f"/api/cafes/{office.cafe_id}/dispatches", params={"date": day}, headers=office.manager
    )
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()
    return found


def messages_for(thread: FakeTelegramThread, day: str) -> list[str]:
    """The day's dispatch messages as the chat received them."""
    return [t for t in thread.call(thread.fake.texts, CHAT) if f"orders for {day}" in t]


@dataclass(frozen=True)
class Dispatched:
    status: str
    error: str | None
    text: str
    first_copies: int  # messages in the chat without the repeat notice
    repeats: int  # messages opening with the repeat notice

    @property
    def sent_twice(self) -> int:
        return max(0, self.first_copies - 1)


def close(client: httpx.Client, office: Office, day: str) -> None:
    closed = client.post(
        f"/api/cafes/{office.cafe_id}/close", json={"date": day}, headers=office.manager
    )
    assert closed.status_code in (200, 201), closed.text


def outcome(
    client: httpx.Client, office: Office, day: str, thread: FakeTelegramThread, within: float = 120
) -> Dispatched:
    """Wait for the day's dispatch to be recorded sent or failed; what the chat holds."""
    found: list[dict[str, Any]] = []

    def settled() -> bool:
        found[:] = dispatches(client, office, day)
        return bool(found) and found[0]["status"] in ("sent", "acknowledged", "failed")

    wait_until(settled, f"the dispatch of {day}", within)
    texts = messages_for(thread, day)
    return Dispatched(
        status=found[0]["status"],
        error=found[0]["error"],
        text=found[0]["text"],
        first_copies=sum(not t.startswith(REPEAT) for t in texts),
        repeats=sum(t.startswith(REPEAT) for t in texts),
    )


def assert_equals_sheet(dispatched: Dispatched, sheet: dict[str, Any]) -> None:
    """The message sent is the sheet: its order count, one line a person, every dish line."""
    text = dispatched.text
    assert f"Orders: <b>{sheet['orders_count']}</b>" in text, text[:300]
    assert text.count("\n• <b>") == sheet["orders_count"], text[:300]
    for dish in sheet["dishes"]:
        assert f"{dish['name']} × {dish['count']}" in text, (dish, text[:300])


def audit_verify(env: dict[str, str], data_dir: Path) -> dict[str, Any]:
    """`lunch audit verify` as an operator runs it: exit 0 and its JSON report."""
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", "audit", "verify", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report: dict[str, Any] = json.loads(done.stdout)
    assert report["ok"] is True, report
    return report
