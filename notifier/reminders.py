"""Reminders: N minutes before a cafe's cutoff, a private message to each employee who
started the bot, ordered in the last weeks and has no order for that date yet.

The reminder is noted in a ledger before it is sent, so it goes at most once per
employee and date, whatever restarts or how many cafes close around the same time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from domain.schedule import cutoff_at, local_date, zone
from notifier import telegram as tg
from notifier.messenger import Messenger
from notifier.read_side import ReadSide
from notifier.store import NotifierStore
from projections.reads.results import CafeSchedule

log = logging.getLogger("lunch.notifier")

LOOKBACK = dt.timedelta(days=30)
TICK_SECONDS = 30.0


def closing_soon(
    cafes: list[CafeSchedule], now: dt.datetime, window: dt.timedelta
) -> dict[dt.date, tuple[dt.datetime, str]]:
    """Dates whose cutoff, at some active cafe, falls within ``window`` from ``now``:
    the earliest such cutoff and the cafe's timezone."""
    due: dict[dt.date, tuple[dt.datetime, str]] = {}
    for cafe in cafes:
        if not cafe.active:
            continue
        date = local_date(now, cafe.timezone)
        cutoff = cutoff_at(
            date,
            weekdays=cafe.weekdays,
            cutoff=cafe.cutoff,
            timezone=cafe.timezone,
            holidays=cafe.holidays,
        )
        if cutoff is None or not now < cutoff <= now + window:
            continue
        if date not in due or cutoff < due[date][0]:
            due[date] = (cutoff, cafe.timezone)
    return due


def reminder_text(date: dt.date, cutoff: dt.datetime, timezone: str) -> str:
    local = cutoff.astimezone(zone(timezone)).strftime("%H:%M")
    return f"⏰ Lunch for {date.isoformat()}: ordering closes at {local} and you have no order yet."


class Reminders:
    def __init__(
        self,
        store: NotifierStore,
        read: ReadSide,
        messenger: Messenger,
        *,
        minutes: int,
        miniapp_url: str,
        now: Callable[[], dt.datetime],
    ) -> None:
        self.store = store
        self.read = read
        self.messenger = messenger
        self.window = dt.timedelta(minutes=minutes)
        self.miniapp_url = miniapp_url
        self.now = now

    async def run(self) -> None:
        while True:
            try:
                await self.once()
            except Exception:
                log.exception("reminders.failed")
            await asyncio.sleep(TICK_SECONDS)

    async def once(self) -> int:
        """Send the reminders due now; how many were sent."""
        run = asyncio.to_thread
        # schedules only: every cafe's menu, read every tick, costs the dispatches CPU
        cafes = await run(self.read.schedules)
        sent = 0
        for date, (cutoff, timezone) in closing_soon(cafes, self.now(), self.window).items():
            for tg_id, chat_id in await run(self.store.due_reminders, date, date - LOOKBACK):
                if not await run(self.store.claim_reminder, tg_id, date):
                    continue
                buttons = []
                if self.miniapp_url.startswith("https://"):
                    buttons = [tg.Button(text="Order lunch", web_app=self.miniapp_url)]
                try:
                    await self.messenger.send(
                        chat_id, reminder_text(date, cutoff, timezone), buttons
                    )
                    sent += 1
                except tg.SendFailed as error:
                    log.info("reminder.failed", extra={"tg_id": tg_id, "error": error.reason})
        return sent
