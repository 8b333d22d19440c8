"""The cafe-day dispatch record: attempts, outcomes, in doubt, acknowledgement, migration."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from domain import cafe as cafe_model
from domain import cafe_days, dispatch
from domain import events as ev
from domain.errors import Conflict, InvalidRequest
from domain.ids import link_request_id

T = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 23)


def closed_cafe() -> cafe_model.CafeState:
    cafe = cafe_model.evolve(
        None, ev.CafeRegistered(cafe_id=uuid.uuid4(), name="C", timezone="UTC", at=T, actor="1")
    )
    cafe.chat_id = -5
    for event in cafe_days.close_ordering(cafe, DAY, early=False, now=T, actor="system"):
        cafe = cafe_model.evolve(cafe, event)
    return cafe


def test_an_attempt_without_outcome_leaves_the_day_in_doubt() -> None:
    """After an attempt the day is in doubt; a first send is refused, a repeat allowed;
    the outcome settles it."""
    cafe = closed_cafe()
    cafe = cafe_model.evolve(
        cafe, dispatch.attempt_dispatch(cafe, DAY, -5, repeat=False, now=T, actor="system")
    )
    assert cafe.in_doubt == {DAY.isoformat(): T}
    with pytest.raises(Conflict):
        dispatch.attempt_dispatch(cafe, DAY, -5, repeat=False, now=T, actor="system")
    cafe = cafe_model.evolve(
        cafe, dispatch.attempt_dispatch(cafe, DAY, -5, repeat=True, now=T, actor="system")
    )
    sent = dispatch.dispatch_sent(cafe, DAY, -5, [7], "text", now=T, actor="system")
    cafe = cafe_model.evolve(cafe, sent)
    assert cafe.in_doubt == {}
    assert dispatch.day_status(cafe, DAY) == "sent"
    assert cafe.sent_at[DAY.isoformat()] == T


def test_acknowledging_needs_a_sent_day_and_is_idempotent() -> None:
    """Nothing to acknowledge before a send; once acknowledged, again changes nothing."""
    cafe = closed_cafe()
    with pytest.raises(InvalidRequest):
        dispatch.acknowledge_dispatch(cafe, DAY, now=T, actor="9")
    cafe = cafe_model.evolve(
        cafe, dispatch.dispatch_sent(cafe, DAY, -5, [7], "t", now=T, actor="system")
    )
    (ack,) = dispatch.acknowledge_dispatch(cafe, DAY, now=T, actor="9")
    cafe = cafe_model.evolve(cafe, ack)
    assert dispatch.acknowledge_dispatch(cafe, DAY, now=T, actor="9") == []


def test_resend_needs_a_closed_day() -> None:
    """A day still open cannot be resent."""
    cafe = closed_cafe()
    with pytest.raises(InvalidRequest):
        dispatch.request_resend(cafe, DAY + dt.timedelta(days=1), now=T, actor="1")
    assert dispatch.request_resend(cafe, DAY, now=T, actor="1").date == DAY


def test_migration_moves_the_link_of_the_linked_chat_only() -> None:
    """The cafe's link follows its own chat's migration and ignores other chats'."""
    cafe = closed_cafe()
    assert dispatch.follow_migration(cafe, -6, -1006, now=T, actor="system") == []
    (linked,) = dispatch.follow_migration(cafe, -5, -1005, now=T, actor="system")
    assert isinstance(linked, ev.ChatLinked)
    assert (linked.chat_id, linked.request_id) == (-1005, link_request_id(-5))
