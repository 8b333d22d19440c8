"""Sending a decided dispatch: the attempt recorded first, then the parts (the acknowledge
button under the last, following the chat if it migrated), then the outcome."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Callable

from notifier import policy
from notifier import telegram as tg
from notifier.adapters import WriteSide
from notifier.messenger import Messenger
from notifier.metrics import NotifierMetrics
from notifier.render import ACK_BUTTON, split_message

log = logging.getLogger("lunch.notifier")


def ack_data(cafe_id: uuid.UUID, date: dt.date) -> str:
    return f"ack:{cafe_id}:{date.isoformat()}"


class Delivery:
    def __init__(
        self,
        write: WriteSide,
        messenger: Messenger,
        metrics: NotifierMetrics,
        *,
        now: Callable[[], dt.datetime],
    ) -> None:
        self.write = write
        self.messenger = messenger
        self.metrics = metrics
        self.now = now

    async def send(  # noqa: PLR0913
        self,
        cafe_id: uuid.UUID,
        date: dt.date,
        *,
        day: policy.DayState,
        decision: policy.Send,
        text: str,
        caused_at: dt.datetime,
        first_sent: Callable[[], None],
    ) -> None:
        """Send ``text`` to the day's chat unless another delivery already attempted a
        first send; ``first_sent`` is called once the first part is out."""
        assert day.chat_id is not None
        chat_id = day.chat_id
        repeat = decision.repeat_of is not None
        if not await self.write.begin(cafe_id, date, chat_id, repeat=repeat):
            log.info("dispatch.raced", extra={"cafe_id": str(cafe_id), "date": date.isoformat()})
            return
        parts = split_message(text)
        ids: list[int] = []
        try:
            for n, part in enumerate(parts, start=1):
                last = n == len(parts)
                buttons = [tg.Button(text=ACK_BUTTON, data=ack_data(cafe_id, date))] if last else []
                while True:
                    try:
                        ids.append(await self.messenger.send(chat_id, part, buttons))
                        first_sent()
                        break
                    except tg.ChatMigrated as moved:
                        await asyncio.to_thread(
                            self.write.follow_migration, cafe_id, chat_id, moved.new_chat_id
                        )
                        chat_id = moved.new_chat_id
        except tg.SendFailed as error:
            reason = error.reason if not ids else f"{error.reason} (after {len(ids)} parts)"
            await self.write.failed(cafe_id, date, reason, text)
            self.metrics.dispatches.labels("failed").inc()
            log.warning("dispatch.failed", extra={"cafe_id": str(cafe_id), "reason": reason})
            return
        await self.write.sent(cafe_id, date, chat_id, ids, "\n".join(parts))
        self.metrics.dispatches.labels("sent").inc()
        self.metrics.latency.observe((self.now() - caused_at).total_seconds())
        log.info(
            "dispatch.sent",
            extra={"cafe_id": str(cafe_id), "date": date.isoformat(), "message_ids": ids},
        )
