"""What the notifier knows of Telegram, in its own terms: incoming updates and send errors.

The messenger turns the Bot API's objects and exceptions into these, so the rest of the
notifier never sees aiogram.
"""

from __future__ import annotations

import msgspec


class Incoming(msgspec.Struct, frozen=True, kw_only=True):
    """A message to the bot (a command, or a group's migration notice)."""

    update_id: int
    chat_id: int
    chat_type: str  # private | group | supergroup | channel
    chat_title: str
    user_id: int
    user_name: str
    text: str = ""
    migrate_to_chat_id: int | None = None


class Pressed(msgspec.Struct, frozen=True, kw_only=True):
    """An inline button pressed under one of the bot's messages."""

    update_id: int
    callback_id: str
    chat_id: int
    message_id: int
    user_id: int
    user_name: str
    data: str


Update = Incoming | Pressed


class Button(msgspec.Struct, frozen=True, kw_only=True):
    """An inline button: a callback (``data``) or one that opens a Mini App (``web_app``)."""

    text: str
    data: str = ""
    web_app: str = ""


class SendFailed(Exception):
    """Telegram refused the call for good, or kept failing past the retries."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class ChatGone(SendFailed):
    """403: the bot was removed from the chat or blocked by the user."""


class ChatMigrated(Exception):
    """The group became a supergroup: send to ``new_chat_id`` from now on."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"chat migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id
