"""The clock: records OrderingClosed for each cafe-day once its cutoff + grace has passed.

The grace must exceed the longest an order command can take (the store's statement
timeout), so every order accepted before the cutoff is in the log before the closure.
Two clocks running at once are safe: the second one's close is a concurrency conflict,
retried, and then sees the day closed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import uuid

from commands.late_orders import reject_late_orders
from commands.messages import CloseOrdering
from commands.service import LunchService
from domain import cafe_days
from domain import events as ev

log = logging.getLogger("lunch.clock")


class CafeDirectory:
    """Every registered cafe, read incrementally from the notification log."""

    def __init__(self, service: LunchService) -> None:
        self.store = service.store
        self.known: list[uuid.UUID] = []
        self.seen_upto = 0

    def cafe_ids(self) -> list[uuid.UUID]:
        # Notification ids commit in order, so nothing at or below the head read first can
        # still arrive: the next look starts there, not at the last registration, which
        # would read every order logged since on each tick.
        head = self.store.head()
        while batch := self.store.read(self.seen_upto, 1000, topics=["Cafe.Registered"]):
            self.known.extend(r.originator_id for r in batch)
            self.seen_upto = batch[-1].notification_id
        self.seen_upto = max(self.seen_upto, head)
        return list(self.known)


def close_due(
    service: LunchService, grace: dt.timedelta, cafes: CafeDirectory | None = None
) -> list[tuple[uuid.UUID, dt.date]]:
    """Record OrderingClosed for every cafe-day whose cutoff + grace has passed."""
    closed = []
    for cafe_id in (cafes or CafeDirectory(service)).cafe_ids():
        state = service.cafe(cafe_id)
        for date in cafe_days.due_closures(state, service.executor.now(), grace):
            command = CloseOrdering(cafe_id=cafe_id, date=date, early=False, actor=ev.SYSTEM)
            if service.execute(command).notification_id:
                closed.append((cafe_id, date))
    return closed


def tick(
    service: LunchService, grace: dt.timedelta, cafes: CafeDirectory | None = None
) -> list[tuple[str, str]]:
    """Close every due cafe-day now; returns (cafe id, date) of the ones closed."""
    closed = close_due(service, grace, cafes)
    for cafe_id, date in closed:
        log.info(
            json.dumps({"event": "ordering_closed", "cafe_id": str(cafe_id), "date": str(date)})
        )
    return [(str(c), d.isoformat()) for c, d in closed]


async def run_clock(
    service: LunchService, *, grace_seconds: float, interval_seconds: float = 5.0
) -> None:
    grace = dt.timedelta(seconds=grace_seconds)
    minimum = service.store.statement_timeout_ms / 1000
    if grace_seconds <= minimum:
        raise SystemExit(
            f"clock grace ({grace_seconds}s) must exceed the statement timeout ({minimum}s)"
        )
    log.info(json.dumps({"event": "clock_started", "grace_seconds": grace_seconds}))
    cafes = CafeDirectory(service)
    while True:
        try:
            await asyncio.to_thread(tick, service, grace, cafes)
            await asyncio.to_thread(reject_late_orders, service)
        except Exception:
            log.exception(json.dumps({"event": "clock_tick_failed"}))
        await asyncio.sleep(interval_seconds)
