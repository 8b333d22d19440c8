"""One-off messages to a cafe chat about its link request: a test message on approval,
a polite word on rejection. Each is sent at most once per event (a ledger row keyed by
the event's notification id), and never for events older than ``max_age`` (a replay)."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
from collections.abc import Callable

from domain.events import LinkApproved, LinkRejected
from notifier import telegram as tg
from notifier.messenger import Messenger
from notifier.read_side import ReadSide
from notifier.store import NotifierStore

log = logging.getLogger("lunch.notifier")


def approved_text(cafe_name: str) -> str:
    return (
        f"✅ This chat is now linked to <b>{html.escape(cafe_name, quote=False)}</b>.\n"
        "This is a test message: each day's orders will arrive here when ordering closes, "
        "with a button to confirm you have them."
    )


def rejected_text(reason: str) -> str:
    why = f"\nReason: {html.escape(reason, quote=False)}" if reason else ""
    return (
        "Thank you for your interest. A manager has declined linking this chat for now."
        f"{why}\nIf this is a mistake, please contact the office manager."
    )


class Notices:
    def __init__(
        self,
        store: NotifierStore,
        read: ReadSide,
        messenger: Messenger,
        *,
        now: Callable[[], dt.datetime],
        max_age: dt.timedelta = dt.timedelta(hours=12),
    ) -> None:
        self.store = store
        self.read = read
        self.messenger = messenger
        self.now = now
        self.max_age = max_age

    async def link_decided(self, event: LinkApproved | LinkRejected, notification_id: int) -> None:
        cause = f"link:{notification_id}"
        if self.now() - event.at > self.max_age:
            return
        if await asyncio.to_thread(self.store.noticed, cause):
            return
        if isinstance(event, LinkApproved):
            name = await asyncio.to_thread(self.read.cafe_name, event.cafe_id)
            text = approved_text(name)
        else:
            text = rejected_text(event.reason)
        try:
            await self.messenger.send(event.chat_id, text)
        except tg.ChatMigrated as moved:
            await self.messenger.send(moved.new_chat_id, text)
        except tg.SendFailed as error:
            log.warning("notice.failed", extra={"chat_id": event.chat_id, "error": error.reason})
        await asyncio.to_thread(self.store.record_notice, cause, event.chat_id)
