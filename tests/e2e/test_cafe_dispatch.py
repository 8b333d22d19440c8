"""A cafe's day end to end through `lunch run` and the fake Bot API: link, order, close,
one dispatch with everyone on it, acknowledge."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.e2e import test_demo_office as demo
from tests.e2e.stack import LunchRun
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_thread import FakeTelegramThread

CHAT = -4242


def eventually(check: Callable[[], Any], what: str, within: float = 90.0) -> Any:
    deadline = time.monotonic() + within
    while not (found := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)
    return found


@pytest.fixture
def telegram() -> Iterator[tuple[FakeTelegramThread, FakeTelegram]]:
    thread = FakeTelegramThread()
    with thread as fake:
        yield thread, fake


@pytest.mark.timeout(300)
def test_link_order_close_dispatch_acknowledge(
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    telegram: tuple[FakeTelegramThread, FakeTelegram],
) -> None:
    """/start → request listed → approve → test message; two orders → close → exactly one
    dispatch naming both → acknowledge → the API shows it acknowledged."""
    thread, fake = telegram
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake.token)
    monkeypatch.setenv("TELEGRAM_API_BASE", fake.base)
    run = LunchRun(tmp_path / "data", demo=True)
    try:
        run.wait_up()
        with httpx.Client(base_url=run.url, timeout=20) as client:
            manager = demo.login(client, 1001)
            date, cafe = demo.open_cafe(client, manager)
            thread.call(fake.command, CHAT, "/start", user_id=9001, title="Kitchen")
            request = eventually(
                lambda: [
                    r
                    for r in client.get("/api/cafe-requests", headers=manager).json()
                    if r["chat_id"] == CHAT
                ],
                "the link request",
            )[0]
            approved = client.post(
                f"/api/cafe-requests/{request['id']}/approve",
                json={"cafe_id": cafe["id"]},
                headers=manager,
            )
            assert approved.status_code == 200, approved.text
            eventually(lambda: len(fake.texts(CHAT)) >= 2, "the test message")

            for tg_id in (2001, 2002):
                employee = demo.login(client, tg_id)
                menu = client.get(
                    f"/api/cafes/{cafe['id']}/menu", params={"date": date}, headers=employee
                ).json()
                placed = client.post(
                    "/api/orders", json=demo.order_body(menu, date), headers=employee
                )
                assert placed.status_code == 201, placed.text
            closed = client.post(
                f"/api/cafes/{cafe['id']}/close", json={"date": date}, headers=manager
            )
            assert closed.status_code in (200, 201), closed.text
            eventually(lambda: any("orders for" in t for t in fake.texts(CHAT)), "the dispatch")
            dispatches = [m for m in fake.chats[CHAT] if "orders for" in m["text"]]
            assert len(dispatches) == 1
            assert "Orders: <b>2</b>" in dispatches[0]["text"]
            data = dispatches[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            thread.call(
                fake.press, CHAT, dispatches[0]["message_id"], data, user_id=9001, name="Olga"
            )
            listed = eventually(
                lambda: [
                    d
                    for d in client.get(
                        f"/api/cafes/{cafe['id']}/dispatches", headers=manager
                    ).json()
                    if d["status"] == "acknowledged"
                ],
                "the acknowledgement",
            )
            assert listed[0]["acknowledged_at"]
            eventually(
                lambda: (
                    "✓ received by Olga" in fake.message(CHAT, dispatches[0]["message_id"])["text"]
                ),
                "the edited message",
            )
    finally:
        run.stop()
