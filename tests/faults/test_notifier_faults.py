"""The notifier under system faults while employees order for the next day: kill -9
between a send and its record, and the Bot API answering 429, 500, slowly, not at all, or
403 (the bot kicked from the chat). Each closed day is sent exactly once (a resend after
a kill is marked as a repeat), or recorded DispatchFailed with its reason in the
dispatch log; nothing else of the day changes."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_thread import FakeTelegramThread
from tests.faults import day as end
from tests.faults.figures import record
from tests.faults.flow import Case, day_end, open_office, orders_flow, sheet
from tests.faults.harness import Component, Tally, base_url, place, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]
EMPLOYEES = 45
EARLY = 5  # employees who also order for each earlier day that is closed during the flow
Telegram = tuple[FakeTelegramThread, FakeTelegram]


def weekdays_after(day: str, count: int) -> list[str]:
    """``count`` served days (Monday to Friday) after ``day``."""
    found: list[str] = []
    current = dt.date.fromisoformat(day)
    while len(found) < count:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            found.append(current.isoformat())
    return found


def early_orders(case: Case, day: str) -> int:
    """The first EARLY employees order for ``day``; all must be accepted."""
    tally = Tally()
    for tg_id in case.staff[:EARLY]:
        place(case.client, tg_id, case.body(day), tally)
    assert len(tally.accepted) == EARLY, tally
    wait_until(
        lambda: sheet(case.client, case.office, day)["orders_count"] == EARLY, "early orders"
    )
    return EARLY


def test_kill_9_of_the_notifier_between_send_and_record(
    stack: dict[str, Component], telegram: Telegram, tmp_path: Path
) -> None:
    """An earlier day closes while orders flow; the notifier is killed as its message
    reaches Telegram: after a restart the chat has it once more, marked as a repeat, and
    it is recorded sent; the flowing day is then dispatched once."""
    thread, fake = telegram
    with httpx.Client(base_url=base_url(stack), timeout=30) as client:
        case = open_office(client, thread, EMPLOYEES)
        closed_day, case.day = case.day, weekdays_after(case.day, 1)[0]
        early = early_orders(case, closed_day)
        killed = threading.Event()

        async def kill_on_dispatch(chat_id: int, message: dict[str, Any]) -> None:
            if f"orders for {closed_day}" in message["text"] and not killed.is_set():
                assert stack["notifier"].proc is not None
                stack["notifier"].proc.send_signal(signal.SIGKILL)
                killed.set()

        fake.on_send = kill_on_dispatch

        def strike() -> None:
            end.close(client, case.office, closed_day)
            assert killed.wait(120), "the dispatch never reached Telegram"
            stack["notifier"].proc.wait()  # type: ignore[union-attr]
            wait_until(
                lambda: (
                    [d["status"] for d in end.dispatches(client, case.office, closed_day)]
                    == ["in_doubt"]
                ),
                "the dispatch log to show the day in doubt",
            )
            stack["notifier"].start()

        tally = orders_flow(case, strike)
        first = end.outcome(client, case.office, closed_day, thread)
        day_end(
            case,
            stack["api"].env,
            tmp_path,
            "kill -9 notifier between send and record",
            len(tally.accepted),
            refused=len(tally.refused),
            after_strike=tally.after_strike,
            closed_day_orders=early,
            closed_day_first_copies=first.first_copies,
            closed_day_repeats=first.repeats,
        )
    assert first.status == "sent", first
    assert (first.first_copies, first.repeats) == (1, 1)
    assert first.text.startswith(f"{end.REPEAT} <b>Repeat of the ")
    assert len(tally.accepted) == EMPLOYEES
    assert not tally.refused


# (what, faults queued on sendMessage to the chat, the outcome the dispatch log shows)
FAULTS: list[tuple[str, list[tuple[str, float]], str]] = [
    ("429 twice", [("429", 1), ("429", 1)], "sent"),
    ("500 twice", [("500", 0), ("500", 0)], "sent"),
    ("no answer twice (timeout)", [("drop", 0.5), ("drop", 0.5)], "sent"),
    ("slow answer (3 s)", [("slow", 3)], "sent"),
    ("500 past every retry", [("500", 0)] * 6, "failed"),
]
# Telegram delivered but its answer was lost: the retry cannot know, and Telegram has no
# idempotency key, so a second copy may arrive (docs/notifier.md); the log says sent once.
LOST: tuple[str, list[tuple[str, float]], str] = (
    "answer lost after delivery",
    [("lost", 0)],
    "sent",
)
KICKED: tuple[str, list[tuple[str, float]], str] = (
    "403 bot kicked from the chat",
    [("403", 0)],
    "failed",
)


def faulted_day(
    case: Case,
    day: str,
    fault: tuple[str, list[tuple[str, float]], str],
    *,
    copies: tuple[int, ...] = (1,),
) -> None:
    """Queue the faults, close the day, and check its one outcome."""
    what, faults, expected = fault
    thread = case.thread
    early = early_orders(case, day)
    for kind, value in faults:
        thread.call(thread.fake.fail, "sendMessage", kind, chat_id=end.CHAT, value=value)
    end.close(case.client, case.office, day)
    got = end.outcome(case.client, case.office, day, thread)
    record(
        f"telegram {what}",
        accepted=early,
        on_sheet=sheet(case.client, case.office, day)["orders_count"],
        dispatched=got.first_copies,
        sent_twice=got.sent_twice,
        status=got.status,
        reason=repr(got.error or ""),
    )
    assert got.status == expected, got
    assert got.repeats == 0
    if expected == "sent":
        assert got.first_copies in copies
        assert got.error is None
    else:
        assert got.first_copies == 0
        assert got.error, got
    assert not thread.fake.faults, "every queued fault was met"


def test_telegram_faults_end_sent_once_or_failed_with_the_reason(
    stack: dict[str, Component], telegram: Telegram, tmp_path: Path
) -> None:
    """One earlier day per fault closes while the next day's orders flow; then an answer
    is lost after delivery (sent, perhaps twice: recorded), and the bot is kicked from the
    chat: that day is recorded failed with Telegram's reason."""
    thread, _ = telegram
    with httpx.Client(base_url=base_url(stack), timeout=30) as client:
        case = open_office(client, thread, EMPLOYEES)
        *fault_days, lost_day, kicked_day, case.day = [
            case.day,
            *weekdays_after(case.day, len(FAULTS) + 2),
        ]

        def strike() -> None:
            for day, fault in zip(fault_days, FAULTS, strict=True):
                faulted_day(case, day, fault)

        tally = orders_flow(case, strike)
        day_end(
            case,
            stack["api"].env,
            tmp_path,
            "telegram faults (the flowing day)",
            len(tally.accepted),
            refused=len(tally.refused),
            after_strike=tally.after_strike,
        )
        faulted_day(case, lost_day, LOST, copies=(1, 2))
        faulted_day(case, kicked_day, KICKED)
        kicked = end.dispatches(client, case.office, kicked_day)[0]
        assert "kicked" in (kicked["error"] or ""), kicked
        end.audit_verify(stack["api"].env, tmp_path)
    assert len(tally.accepted) == EMPLOYEES
    assert not tally.refused
