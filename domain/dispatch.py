"""Decisions about a cafe-day's dispatch: attempts, outcomes, acknowledgement, resends.

The notifier records an attempt before it sends and the outcome after, so a crash in
between leaves the day visibly in doubt. These rules keep the record honest when two
deliveries of the same closure race: only a repeat may follow a sent or doubtful day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from domain import events as ev
from domain.cafe import CafeState
from domain.errors import Conflict, InvalidRequest
from domain.ids import link_request_id

MAX_TEXT = 100_000
MAX_ERROR = 500


def day_status(cafe: CafeState, date: dt.date) -> str | None:
    """``sent``, ``failed``, ``acknowledged`` or None (never dispatched)."""
    return cafe.dispatched.get(date.isoformat())


def attempt_dispatch(
    cafe: CafeState, date: dt.date, chat_id: int, *, repeat: bool, now: dt.datetime, actor: str
) -> ev.DispatchAttempted:
    """A first send only on a day neither sent nor in doubt; anything else is a repeat."""
    if not cafe.is_closed(date):
        raise InvalidRequest("ordering for this date is not closed yet", date=date.isoformat())
    done = day_status(cafe, date) in ("sent", "acknowledged")
    if not repeat and (done or date.isoformat() in cafe.in_doubt):
        raise Conflict("this dispatch was already attempted", date=date.isoformat())
    return ev.DispatchAttempted(
        cafe_id=cafe.id, date=date, chat_id=chat_id, repeat=repeat, at=now, actor=actor
    )


def dispatch_sent(  # noqa: PLR0913
    cafe: CafeState,
    date: dt.date,
    chat_id: int,
    message_ids: Sequence[int],
    text: str,
    *,
    now: dt.datetime,
    actor: str,
) -> ev.DispatchSent:
    return ev.DispatchSent(
        cafe_id=cafe.id,
        date=date,
        chat_id=chat_id,
        message_ids=tuple(message_ids),
        text=text[:MAX_TEXT],
        at=now,
        actor=actor,
    )


def dispatch_failed(
    cafe: CafeState, date: dt.date, error: str, text: str, *, now: dt.datetime, actor: str
) -> ev.DispatchFailed:
    return ev.DispatchFailed(
        cafe_id=cafe.id,
        date=date,
        error=error[:MAX_ERROR],
        text=text[:MAX_TEXT],
        at=now,
        actor=actor,
    )


def dispatch_logged(
    cafe: CafeState, date: dt.date, text: str, *, now: dt.datetime, actor: str
) -> ev.DispatchLogged:
    return ev.DispatchLogged(cafe_id=cafe.id, date=date, text=text[:MAX_TEXT], at=now, actor=actor)


def acknowledge_dispatch(
    cafe: CafeState, date: dt.date, *, now: dt.datetime, actor: str
) -> list[ev.Event]:
    """The cafe confirms it has the day's orders; pressing the button again changes nothing."""
    status = day_status(cafe, date)
    if status == "acknowledged":
        return []
    if status != "sent":
        raise InvalidRequest("nothing was sent for this date", date=date.isoformat())
    return [ev.DispatchAcknowledged(cafe_id=cafe.id, date=date, at=now, actor=actor)]


def request_resend(
    cafe: CafeState, date: dt.date, *, now: dt.datetime, actor: str
) -> ev.DispatchResendRequested:
    if not cafe.is_closed(date):
        raise InvalidRequest("ordering for this date is not closed yet", date=date.isoformat())
    return ev.DispatchResendRequested(cafe_id=cafe.id, date=date, at=now, actor=actor)


def follow_migration(
    cafe: CafeState, old_chat_id: int, new_chat_id: int, *, now: dt.datetime, actor: str
) -> list[ev.Event]:
    """A group became a supergroup under a new id: the cafe's link moves with it."""
    if cafe.chat_id != old_chat_id or old_chat_id == new_chat_id:
        return []
    return [
        ev.ChatLinked(
            cafe_id=cafe.id,
            chat_id=new_chat_id,
            request_id=link_request_id(old_chat_id),
            at=now,
            actor=actor,
        )
    ]
