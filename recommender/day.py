"""Which day the suggestions are for: the next day on which some cafe still takes orders.

The domain's schedule module is out of the recommender's reach (it sees only events, ids and
money), so this repeats its one rule: a cafe serves a date on its weekdays, not on holidays,
and takes orders until the cutoff in its own timezone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import msgspec

HORIZON_DAYS = 14


class CafeSchedule(msgspec.Struct, frozen=True, kw_only=True):
    cafe_id: str
    timezone: str
    weekdays: tuple[int, ...]
    cutoff: str | None
    holidays: frozenset[dt.date] = frozenset()
    closed: frozenset[dt.date] = frozenset()  # closed early (or already closed) by the clock


def _cutoff(cafe: CafeSchedule, date: dt.date) -> dt.datetime | None:
    if cafe.cutoff is None or date.weekday() not in cafe.weekdays or date in cafe.holidays:
        return None
    hour, minute = (int(part) for part in cafe.cutoff.split(":"))
    return dt.datetime.combine(date, dt.time(hour, minute), tzinfo=ZoneInfo(cafe.timezone))


def open_cafes(cafes: list[CafeSchedule], date: dt.date, now: dt.datetime) -> list[str]:
    """The cafes still taking orders for ``date`` at ``now``."""
    found = []
    for cafe in cafes:
        cutoff = _cutoff(cafe, date)
        if cutoff is not None and now < cutoff and date not in cafe.closed:
            found.append(cafe.cafe_id)
    return found


def next_ordering_day(
    cafes: list[CafeSchedule], now: dt.datetime, timezone: str
) -> tuple[dt.date, list[str]] | None:
    """The first date from today (in the office's ``timezone``) with open cafes, and those
    cafes; None when no cafe serves within HORIZON_DAYS."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    for offset in range(HORIZON_DAYS):
        date = today + dt.timedelta(days=offset)
        if found := open_cafes(cafes, date, now):
            return date, found
    return None
