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

from commands.late_orders import reject_late_orders
from commands.service import LunchService

log = logging.getLogger("lunch.clock")


def tick(service: LunchService, grace: dt.timedelta) -> list[tuple[str, str]]:
    """Close every due cafe-day now; returns (cafe id, date) of the ones closed."""
    closed = service.close_due(grace)
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
    while True:
        try:
            await asyncio.to_thread(tick, service, grace)
            await asyncio.to_thread(reject_late_orders, service)
        except Exception:
            log.exception(json.dumps({"event": "clock_tick_failed"}))
        await asyncio.sleep(interval_seconds)
