"""What the notifier decides about a cafe-day's dispatch, from what the store records."""

from __future__ import annotations

import datetime as dt

from notifier.policy import DayState, Fail, Log, Send, Skip, Trigger, decide

T = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def run(day: DayState, trigger: Trigger = Trigger.CLOSURE, **kw: object) -> object:
    args: dict[str, object] = {
        "orders": 3,
        "has_token": True,
        "caused_at": T,
        "now": T + dt.timedelta(seconds=1),
        "max_age": 12 * HOUR,
    }
    args.update(kw)
    return decide(day, trigger, **args)  # type: ignore[arg-type]


def test_first_closure_sends_to_the_linked_chat() -> None:
    """A closed day never dispatched, with orders and a chat, is sent (not as a repeat)."""
    assert run(DayState(chat_id=-5, status=None)) == Send(None)


def test_redelivered_closure_of_a_sent_day_does_nothing() -> None:
    """Redelivery finds the day sent (or acknowledged, or failed) and skips it."""
    for status in ("sent", "acknowledged", "failed"):
        assert isinstance(run(DayState(chat_id=-5, status=status)), Skip)


def test_in_doubt_day_is_sent_again_as_a_repeat() -> None:
    """An attempt without an outcome is resent, marked as a repeat of that attempt."""
    day = DayState(chat_id=-5, status=None, in_doubt_since=T)
    assert run(day) == Send(T)


def test_no_orders_no_message_and_no_chat_a_failure() -> None:
    """An empty day is skipped; an unlinked cafe fails with "no linked chat"."""
    assert isinstance(run(DayState(chat_id=-5, status=None), orders=0), Skip)
    assert run(DayState(chat_id=None, status=None)) == Fail("no linked chat")


def test_without_a_token_dispatches_are_logged() -> None:
    """No bot token: the dispatch is logged, even for an unlinked cafe."""
    assert run(DayState(chat_id=None, status=None), has_token=False) == Log()


def test_old_closures_are_not_sent_on_a_replay() -> None:
    """A closure far in the past (a new consumer group reading history) sends nothing."""
    assert isinstance(run(DayState(chat_id=-5, status=None), now=T + 13 * HOUR), Skip)


def test_resend_repeats_once_per_request() -> None:
    """A resend of a sent day repeats it; once an outcome follows the request, the same
    request redelivered changes nothing."""
    sent = DayState(chat_id=-5, status="sent", sent_at=T, settled_at=T)
    later = T + HOUR
    assert run(sent, Trigger.RESEND, caused_at=later) == Send(T)
    settled = DayState(chat_id=-5, status="sent", sent_at=T, settled_at=later + HOUR)
    assert isinstance(run(settled, Trigger.RESEND, caused_at=later), Skip)
