"""Bot API objects (aiogram's) to and from the notifier's own terms (``notifier.telegram``):
incoming updates, from long polling or the webhook, and inline keyboards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo

from notifier import telegram as tg

ALLOWED_UPDATES = ["message", "callback_query"]


def markup(buttons: Sequence[tg.Button]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    row = [
        InlineKeyboardButton(text=b.text, web_app=WebAppInfo(url=b.web_app))
        if b.web_app
        else InlineKeyboardButton(text=b.text, callback_data=b.data)
        for b in buttons
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def _name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.full_name or user.username or user.id)


def translate(update: Update) -> tg.Update | None:
    """A message or a button press; None for every other kind of update."""
    if (message := update.message) is not None:
        return tg.Incoming(
            update_id=update.update_id,
            chat_id=message.chat.id,
            chat_type=str(message.chat.type),
            chat_title=message.chat.title or _name(message.from_user),
            user_id=message.from_user.id if message.from_user else 0,
            user_name=_name(message.from_user),
            text=message.text or "",
            migrate_to_chat_id=message.migrate_to_chat_id,
        )
    if (callback := update.callback_query) is not None and callback.message is not None:
        return tg.Pressed(
            update_id=update.update_id,
            callback_id=callback.id,
            chat_id=callback.message.chat.id,
            message_id=callback.message.message_id,
            user_id=callback.from_user.id,
            user_name=_name(callback.from_user),
            data=callback.data or "",
        )
    return None
