"""The deadline dispatch: a closed cafe-day's orders, sent to the cafe's chat exactly once.

Here: wait for the sheet, decide (``notifier.policy``), render, and record what is not
sent (no token, a failure before sending); ``notifier.delivery`` sends the rest, an
attempt recorded before and the outcome after. A crash in between leaves the day in doubt;
the next delivery of the closure finds it so and sends again, marked as a repeat, rather
than silently twice or never.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Callable

from notifier import policy
from notifier.adapters import WriteSide
from notifier.day_reads import NOT_READY, DayReads
from notifier.delivery import Delivery
from notifier.messenger import Messenger
from notifier.metrics import NotifierMetrics
from notifier.read_side import ReadSide
from notifier.render import render_dispatch, repeat_notice

log = logging.getLogger("lunch.notifier")

# Of fifty messages at once, the 31st-50th wait for the 1st-20th to be a second old: the
# 21st-30th have that second to get ready; run alongside the first twenty, they slow them.
TURNS = 20  # dispatches between their first read and their first send


class _Turn:
    """A dispatch's place among those running; given back once, at its first send or end."""

    def __init__(self, turns: asyncio.Semaphore) -> None:
        self.turns: asyncio.Semaphore | None = turns

    def end(self) -> None:
        if self.turns is not None:
            self.turns.release()
            self.turns = None


class Dispatcher:
    def __init__(
        self,
        write: WriteSide,
        read: ReadSide,
        messenger: Messenger | None,
        metrics: NotifierMetrics,
        *,
        now: Callable[[], dt.datetime],
        max_age: dt.timedelta = dt.timedelta(hours=12),
    ) -> None:
        self.write = write
        self.read = read
        self.messenger = messenger
        self.metrics = metrics
        self.now = now
        self.max_age = max_age
        self.reads = DayReads(write, read)
        self.delivery = Delivery(write, messenger, metrics, now=now) if messenger else None
        self.turns = asyncio.Semaphore(TURNS)

    async def dispatch(
        self,
        cafe_id: uuid.UUID,
        date: dt.date,
        trigger: policy.Trigger,
        *,
        caused_at: dt.datetime,
        notification_id: int,
        sheet_after: int | None = None,
    ) -> policy.Decision:
        """Handle one delivery of a closure or a resend request; what was decided.

        The sheet must hold every order the closure follows: it must have applied
        ``sheet_after`` (the cafe's latest sheet event before the closure, when the
        consumer saw it), else the closure itself. A resend request is not a sheet event
        and follows the closure.

        At most ``TURNS`` dispatches run from their first read to their first send, the
        others wait their turn in order: the reads and attempts of those whose messages
        wait anyway for the first ones' to be a second old do not slow those down."""
        await self.turns.acquire()
        turn = _Turn(self.turns)
        try:
            return await self._dispatch(
                cafe_id,
                date,
                trigger,
                caused_at=caused_at,
                notification_id=notification_id,
                sheet_after=sheet_after,
                turn=turn,
            )
        finally:
            turn.end()

    async def _dispatch(  # noqa: PLR0913
        self,
        cafe_id: uuid.UUID,
        date: dt.date,
        trigger: policy.Trigger,
        *,
        caused_at: dt.datetime,
        notification_id: int,
        sheet_after: int | None,
        turn: _Turn,
    ) -> policy.Decision:
        upto = 0
        if trigger is policy.Trigger.CLOSURE:
            upto = notification_id if sheet_after is None else sheet_after
        ready, sheet, (day, timezone) = await self.reads.read(cafe_id, date, upto)
        decision = policy.decide(
            day,
            trigger,
            orders=sheet.orders_count if sheet else 0,
            has_token=self.messenger is not None,
            caused_at=caused_at,
            now=self.now(),
            max_age=self.max_age,
        )
        fields = {"cafe_id": str(cafe_id), "date": date.isoformat(), "trigger": trigger.value}
        if isinstance(decision, policy.Skip) or sheet is None:
            self.metrics.dispatches.labels("skipped").inc()
            log.info(
                "dispatch.skipped", extra={**fields, "reason": getattr(decision, "reason", "")}
            )
            return decision
        if not ready:
            decision = policy.Fail(NOT_READY)
        notice = ""
        if isinstance(decision, policy.Send) and decision.repeat_of is not None:
            notice = repeat_notice(decision.repeat_of, timezone)
        text = render_dispatch(sheet, notice=notice)
        if isinstance(decision, policy.Log):
            await self.write.logged(cafe_id, date, text)
            self.metrics.dispatches.labels("logged").inc()
            log.info("dispatch.logged", extra={**fields, "text": text})
        elif isinstance(decision, policy.Fail):
            await self.write.failed(cafe_id, date, decision.reason, text)
            self.metrics.dispatches.labels("failed").inc()
            log.warning("dispatch.failed", extra={**fields, "reason": decision.reason})
        else:
            assert self.delivery is not None  # a Send is decided only with a bot token
            if day.in_doubt_since is not None:
                self.metrics.dispatches.labels("in_doubt").inc()
            await self.delivery.send(
                cafe_id,
                date,
                day=day,
                decision=decision,
                text=text,
                caused_at=caused_at,
                first_sent=turn.end,
            )
        return decision
