"""A cafe group chat's request to be linked to a cafe."""

from __future__ import annotations

import uuid

from domain.events.base import Event

# --- Link request (aggregate id: link_request_id(chat_id)) ------------------------------


class LinkRequested(Event, frozen=True, tag="Cafe.LinkRequested"):
    request_id: uuid.UUID
    chat_id: int
    chat_title: str
    requested_by: int


class LinkApproved(Event, frozen=True, tag="Cafe.LinkApproved"):
    request_id: uuid.UUID
    chat_id: int
    cafe_id: uuid.UUID


class LinkRejected(Event, frozen=True, tag="Cafe.LinkRejected"):
    request_id: uuid.UUID
    chat_id: int
    reason: str
