"""A cafe-day's dispatch, as the notifier records it and a manager asks for it again."""

from __future__ import annotations

import datetime as dt
import uuid

from commands.messages.base import Command
from domain.cafe import CafeState


class BeginDispatch(Command[CafeState], frozen=True, kw_only=True):
    """A send to the cafe's chat starts now; a first send is refused once one was tried."""

    cafe_id: uuid.UUID
    date: dt.date
    chat_id: int
    repeat: bool


class RecordDispatchSent(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date
    chat_id: int
    message_ids: tuple[int, ...]
    text: str


class RecordDispatchFailed(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date
    error: str
    text: str


class RecordDispatchLogged(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date
    text: str


class AcknowledgeDispatch(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date


class RequestResend(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date


class FollowChatMigration(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    old_chat_id: int
    new_chat_id: int
