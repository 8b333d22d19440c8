"""Dispatch handlers: a cafe-day's send to the cafe's chat, its outcome, the cafe's
acknowledgement, a resend request and a chat's migration, all on the cafe's stream."""

from __future__ import annotations

from collections.abc import Sequence

from commands.decisions import Decision, decided
from commands.messages import (
    AcknowledgeDispatch,
    BeginDispatch,
    FollowChatMigration,
    RecordDispatchFailed,
    RecordDispatchLogged,
    RecordDispatchSent,
    RequestResend,
)
from commands.session import Handler, Session
from domain import cafe as cafe_model
from domain import dispatch
from domain import events as ev
from domain.cafe import CafeState


def _changed(cafe: CafeState, events: Sequence[ev.Event]) -> Decision[CafeState]:
    return decided(cafe, cafe.id, events, cafe_model.evolve)


def begin_dispatch(cmd: BeginDispatch, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    event = dispatch.attempt_dispatch(
        cafe, cmd.date, cmd.chat_id, repeat=cmd.repeat, now=session.now, actor=cmd.actor
    )
    return _changed(cafe, [event])


def record_sent(cmd: RecordDispatchSent, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    event = dispatch.dispatch_sent(
        cafe, cmd.date, cmd.chat_id, cmd.message_ids, cmd.text, now=session.now, actor=cmd.actor
    )
    return _changed(cafe, [event])


def record_failed(cmd: RecordDispatchFailed, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    event = dispatch.dispatch_failed(
        cafe, cmd.date, cmd.error, cmd.text, now=session.now, actor=cmd.actor
    )
    return _changed(cafe, [event])


def record_logged(cmd: RecordDispatchLogged, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    event = dispatch.dispatch_logged(cafe, cmd.date, cmd.text, now=session.now, actor=cmd.actor)
    return _changed(cafe, [event])


def acknowledge(cmd: AcknowledgeDispatch, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    events = dispatch.acknowledge_dispatch(cafe, cmd.date, now=session.now, actor=cmd.actor)
    return _changed(cafe, events)


def request_resend(cmd: RequestResend, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    event = dispatch.request_resend(cafe, cmd.date, now=session.now, actor=cmd.actor)
    return _changed(cafe, [event])


def follow_migration(cmd: FollowChatMigration, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    events = dispatch.follow_migration(
        cafe, cmd.old_chat_id, cmd.new_chat_id, now=session.now, actor=cmd.actor
    )
    return _changed(cafe, events)


HANDLERS: dict[type, Handler] = {
    BeginDispatch: begin_dispatch,
    RecordDispatchSent: record_sent,
    RecordDispatchFailed: record_failed,
    RecordDispatchLogged: record_logged,
    AcknowledgeDispatch: acknowledge,
    RequestResend: request_resend,
    FollowChatMigration: follow_migration,
}
