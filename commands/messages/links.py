"""A cafe group chat's link request: asked from the chat, approved or rejected by a manager."""

from __future__ import annotations

import uuid

from commands.messages.base import Command
from domain.link import LinkState


class RequestLink(Command[LinkState], frozen=True, kw_only=True):
    chat_id: int
    chat_title: str
    requested_by: int


class ApproveLink(Command[LinkState], frozen=True, kw_only=True):
    request_id: uuid.UUID
    cafe_id: uuid.UUID


class RejectLink(Command[LinkState], frozen=True, kw_only=True):
    request_id: uuid.UUID
    reason: str
