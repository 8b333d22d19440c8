"""The cafe bot: commands and buttons from Telegram, by long polling or the webhook.

``/start`` from a cafe chat (a group, or anyone not in the employee directory) asks to be
linked; from an employee in private it turns reminders on and offers the Mini App.
The acknowledge button under a dispatch records who confirmed it and edits the message.
A group's migration to a supergroup moves its cafe's link to the new chat id.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Callable

from notifier import telegram as tg
from notifier.adapters import WriteSide
from notifier.messenger import Messenger
from notifier.read_side import ReadSide
from notifier.render import acknowledged_text, split_message
from notifier.store import NotifierStore

log = logging.getLogger("lunch.notifier")

AWAITING = (
    "Hello! This chat has asked to receive lunch orders. "
    "A manager will approve it shortly; you will get a test message then."
)
WELCOME = (
    "Hello! I will remind you before a cafe's deadline when you have not ordered yet. "
    "/stop_reminders turns that off."
)
REMINDERS_OFF = "Reminders are off. /start_reminders turns them back on."
REMINDERS_ON = "Reminders are on."
MINIAPP_BUTTON = "Order lunch"
ACK_RETRIES = 20
ACK_RETRY_SECONDS = 0.25


class CafeBot:
    def __init__(
        self,
        messenger: Messenger,
        write: WriteSide,
        read: ReadSide,
        store: NotifierStore,
        *,
        miniapp_url: str,
        now: Callable[[], dt.datetime],
    ) -> None:
        self.messenger = messenger
        self.write = write
        self.read = read
        self.store = store
        self.miniapp_url = miniapp_url
        self.now = now

    async def poll(self) -> None:
        """Long-poll until cancelled; an update that fails is logged and not retried."""
        await self.messenger.forget_webhook()
        offset: int | None = None
        while True:
            for update in await self.messenger.updates(offset):
                offset = update.update_id + 1
                await self.receive(update)

    async def receive(self, update: tg.Update) -> None:
        """Handle one update, polled or from the webhook; a failure is logged, not raised."""
        try:
            await self.handle(update)
        except tg.SendFailed as error:
            log.warning("bot.reply_failed", extra={"error": error.reason})
        except Exception:
            log.exception("bot.update_failed", extra={"update_id": update.update_id})

    async def handle(self, update: tg.Update) -> None:
        if isinstance(update, tg.Pressed):
            await self._pressed(update)
        elif update.migrate_to_chat_id is not None:
            await self._migrated(update.chat_id, update.migrate_to_chat_id)
        else:
            await self._command(update)

    def _buttons(self) -> list[tg.Button]:
        # Telegram accepts Mini App buttons with HTTPS URLs only.
        if self.miniapp_url.startswith("https://"):
            return [tg.Button(text=MINIAPP_BUTTON, web_app=self.miniapp_url)]
        return []

    async def _command(self, message: tg.Incoming) -> None:
        command = message.text.split("@")[0].split(" ")[0].strip().lower()
        run = asyncio.to_thread
        private = message.chat_type == "private"
        if command == "/start":
            if private and await run(self.read.is_employee, message.user_id):
                await run(self.store.subscribe, message.user_id, message.chat_id, reminders=True)
                await self.messenger.send(message.chat_id, WELCOME, self._buttons())
                return
            await run(self.write.request_link, message.chat_id, message.chat_title, message.user_id)
            await self.messenger.send(message.chat_id, AWAITING)
        elif command in ("/stop_reminders", "/start_reminders") and private:
            on = command == "/start_reminders"
            await run(self.store.subscribe, message.user_id, message.chat_id, reminders=on)
            await self.messenger.send(message.chat_id, REMINDERS_ON if on else REMINDERS_OFF)

    async def _migrated(self, old_chat_id: int, new_chat_id: int) -> None:
        cafe_id = await asyncio.to_thread(self.read.cafe_of_chat, old_chat_id)
        if cafe_id is not None:
            await asyncio.to_thread(self.write.follow_migration, cafe_id, old_chat_id, new_chat_id)
            log.info("bot.chat_migrated", extra={"from": old_chat_id, "to": new_chat_id})

    async def _pressed(self, press: tg.Pressed) -> None:
        kind, _, rest = press.data.partition(":")
        if kind != "ack":
            await self.messenger.answer(press.callback_id, "")
            return
        cafe_text, _, date_text = rest.partition(":")
        cafe_id, date = uuid.UUID(cafe_text), dt.date.fromisoformat(date_text)
        run = asyncio.to_thread
        nid = await run(self.write.acknowledge, cafe_id, date, actor=str(press.user_id))
        for _ in range(ACK_RETRIES):
            if nid is not None:
                break
            # Pressed the moment the message arrived: its outcome may still be on its way
            # to the store (the day is in doubt until then).
            await asyncio.sleep(ACK_RETRY_SECONDS)
            nid = await run(self.write.acknowledge, cafe_id, date, actor=str(press.user_id))
        if nid is None:
            await self.messenger.answer(press.callback_id, "Nothing to confirm for this day.")
            return
        await self.messenger.answer(press.callback_id, "Thank you!")
        if nid == 0:
            return  # already acknowledged: the message says so already
        dispatch = await run(self.read.sent_dispatch, cafe_id, date, nid)
        if dispatch is None or press.message_id not in dispatch.message_ids:
            return
        part = split_message(dispatch.text)[dispatch.message_ids.index(press.message_id)]
        _, timezone = await run(self.write.day, cafe_id, date)
        await self.messenger.edit(
            press.chat_id,
            press.message_id,
            acknowledged_text(part, press.user_name, self.now(), timezone),
        )
