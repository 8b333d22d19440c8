"""Cafe link request handlers: a chat asks, a manager approves (linking a cafe) or rejects."""

from __future__ import annotations

from commands.decisions import Decision, decided
from commands.messages import ApproveLink, RejectLink, RequestLink
from commands.session import Handler, Session
from domain import link as link_model
from domain.ids import link_request_id
from domain.link import LinkState


def request_link(cmd: RequestLink, session: Session) -> Decision[LinkState]:
    rid = link_request_id(cmd.chat_id)
    state = session.link(rid)
    events = link_model.request_link(
        state,
        rid,
        chat_id=cmd.chat_id,
        chat_title=cmd.chat_title,
        requested_by=cmd.requested_by,
        now=session.now,
        actor=cmd.actor,
    )
    return decided(state, rid, events, link_model.evolve)


def approve_link(cmd: ApproveLink, session: Session) -> Decision[LinkState]:
    state = session.link(cmd.request_id)
    cafe = session.cafe(cmd.cafe_id)
    approved, linked = link_model.approve_link(state, cafe, now=session.now, actor=cmd.actor)
    return Decision(
        link_model.evolve(state, approved),
        [(cmd.request_id, [approved]), (cmd.cafe_id, [linked])],
    )


def reject_link(cmd: RejectLink, session: Session) -> Decision[LinkState]:
    state = session.link(cmd.request_id)
    event = link_model.reject_link(state, cmd.reason, now=session.now, actor=cmd.actor)
    return Decision(link_model.evolve(state, event), [(cmd.request_id, [event])])


HANDLERS: dict[type, Handler] = {
    RequestLink: request_link,
    ApproveLink: approve_link,
    RejectLink: reject_link,
}
