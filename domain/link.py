"""A cafe chat's request to be linked to a cafe, approved or rejected by a manager."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from domain import events as ev
from domain.cafe import CafeState
from domain.errors import InvalidRequest, NotFound
from domain.text import clean, has_control


class LinkState(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    chat_id: int
    status: str
    cafe_id: uuid.UUID | None = None


def evolve(state: LinkState | None, event: ev.Event) -> LinkState:
    if isinstance(event, ev.LinkRequested):
        return LinkState(id=event.request_id, chat_id=event.chat_id, status="pending")
    assert state is not None
    if isinstance(event, ev.LinkApproved):
        state.status, state.cafe_id = "approved", event.cafe_id
    elif isinstance(event, ev.LinkRejected):
        state.status = "rejected"
    return state


def _printable(text: str) -> str:
    """A Telegram chat title as given, minus characters no report should carry."""
    return "".join(c for c in text if not has_control(c)).strip()


def request_link(  # noqa: PLR0913
    state: LinkState | None,
    request_id: uuid.UUID,
    *,
    chat_id: int,
    chat_title: str,
    requested_by: int,
    now: dt.datetime,
    actor: str,
) -> list[ev.Event]:
    """A new pending request, unless one is already pending or approved for this chat."""
    if state is not None and state.status in ("pending", "approved"):
        return []
    return [
        ev.LinkRequested(
            request_id=request_id,
            chat_id=chat_id,
            chat_title=_printable(chat_title)[:200] or str(chat_id),
            requested_by=requested_by,
            at=now,
            actor=actor,
        )
    ]


def approve_link(
    state: LinkState | None, cafe: CafeState, *, now: dt.datetime, actor: str
) -> list[ev.Event]:
    if state is None:
        raise NotFound("no such cafe request")
    if state.status != "pending":
        raise InvalidRequest(f"the request is {state.status}", field="status")
    return [
        ev.LinkApproved(
            request_id=state.id, chat_id=state.chat_id, cafe_id=cafe.id, at=now, actor=actor
        ),
        ev.ChatLinked(
            cafe_id=cafe.id, chat_id=state.chat_id, request_id=state.id, at=now, actor=actor
        ),
    ]


def reject_link(
    state: LinkState | None, reason: str, *, now: dt.datetime, actor: str
) -> ev.LinkRejected:
    if state is None:
        raise NotFound("no such cafe request")
    if state.status != "pending":
        raise InvalidRequest(f"the request is {state.status}", field="status")
    return ev.LinkRejected(
        request_id=state.id,
        chat_id=state.chat_id,
        reason=clean(reason, "reason", max_length=500, required=False, multiline=True),
        at=now,
        actor=actor,
    )
