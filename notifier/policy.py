"""What to do about a cafe-day's dispatch, decided from what the event store says.

Pure. The consumer asks on every delivery of a closure or a resend request; redelivery
of the same message therefore finds the day already settled and does nothing.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec


class Trigger(enum.Enum):
    CLOSURE = "closure"
    RESEND = "resend"


class DayState(msgspec.Struct, frozen=True, kw_only=True):
    """A cafe-day's dispatch as the cafe's stream records it."""

    chat_id: int | None
    status: str | None  # sent | failed | acknowledged | None (never dispatched)
    in_doubt_since: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    settled_at: dt.datetime | None = None


class Skip(msgspec.Struct, frozen=True):
    reason: str


class Fail(msgspec.Struct, frozen=True):
    reason: str


class Log(msgspec.Struct, frozen=True):
    """No bot token: render and record, send nothing."""


class Send(msgspec.Struct, frozen=True):
    """Send; ``repeat_of`` is when the earlier copy went (or may have gone) out."""

    repeat_of: dt.datetime | None = None


Decision = Skip | Fail | Log | Send

NO_CHAT = "no linked chat"


def decide(  # noqa: PLR0911, PLR0913
    day: DayState,
    trigger: Trigger,
    *,
    orders: int,
    has_token: bool,
    caused_at: dt.datetime,
    now: dt.datetime,
    max_age: dt.timedelta,
) -> Decision:
    """``caused_at``: when the closure or the resend request was recorded."""
    if orders == 0:
        return Skip("no orders")
    if day.in_doubt_since is not None:
        # A send started and its outcome was never recorded: it may have arrived.
        return _send(day, repeat_of=day.in_doubt_since, has_token=has_token)
    if trigger is Trigger.RESEND:
        if day.settled_at is not None and day.settled_at >= caused_at:
            return Skip("resend already handled")
        return _send(day, repeat_of=day.sent_at, has_token=has_token)
    if day.status is not None:
        return Skip(f"already {day.status}")
    if now - caused_at > max_age:
        return Skip("closure too old to send")
    return _send(day, repeat_of=None, has_token=has_token)


def _send(day: DayState, *, repeat_of: dt.datetime | None, has_token: bool) -> Decision:
    if not has_token:
        return Log()
    if day.chat_id is None:
        return Fail(NO_CHAT)
    return Send(repeat_of)
