"""A cafe's days: its schedule, whether a day still takes orders, and closing a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from domain import events as ev
from domain.cafe import CafeState
from domain.errors import OrderingClosed
from domain.schedule import check_weekdays, parse_cutoff, zone


def set_schedule(  # noqa: PLR0913
    cafe: CafeState,
    weekdays: Sequence[int],
    cutoff: str,
    timezone: str | None,
    holidays: Sequence[dt.date],
    *,
    now: dt.datetime,
    actor: str,
) -> ev.ScheduleSet:
    tz = timezone or cafe.timezone
    zone(tz)
    parse_cutoff(cutoff)
    return ev.ScheduleSet(
        cafe_id=cafe.id,
        weekdays=check_weekdays(weekdays),
        cutoff=cutoff,
        timezone=tz,
        holidays=tuple(sorted(set(holidays))),
        at=now,
        actor=actor,
    )


def check_ordering_open(cafe: CafeState, date: dt.date, now: dt.datetime) -> dt.datetime:
    """The cutoff for ``date`` if orders are still accepted at ``now``; else OrderingClosed."""
    deadline = cafe.cutoff_for(date)
    if deadline is None:
        raise OrderingClosed("the cafe does not serve on this date", date=date.isoformat())
    if cafe.is_closed(date) or now >= deadline:
        raise OrderingClosed(
            "ordering for this date is closed",
            date=date.isoformat(),
            deadline=deadline.isoformat(),
        )
    return deadline


def close_ordering(
    cafe: CafeState, date: dt.date, *, early: bool, now: dt.datetime, actor: str
) -> list[ev.Event]:
    """Close the cafe-day once; closing it again changes nothing."""
    if cafe.is_closed(date):
        return []
    return [ev.OrderingClosed(cafe_id=cafe.id, date=date, early=early, at=now, actor=actor)]


def due_closures(cafe: CafeState, now: dt.datetime, grace: dt.timedelta) -> list[dt.date]:
    """Dates (yesterday and today, cafe time) whose cutoff + grace has passed and are open."""
    today = now.astimezone(zone(cafe.timezone)).date()
    due = []
    for date in (today - dt.timedelta(days=1), today):
        deadline = cafe.cutoff_for(date)
        if deadline is not None and now >= deadline + grace and not cafe.is_closed(date):
            due.append(date)
    return due
