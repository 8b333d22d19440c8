"""When ordering closes: a cutoff per served weekday in the cafe's IANA timezone."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from domain.errors import InvalidRequest

_CUTOFF = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_cutoff(text: str) -> dt.time:
    match = _CUTOFF.match(text)
    if not match:
        raise InvalidRequest("cutoff must be HH:MM (24-hour)", field="cutoff", value=text)
    return dt.time(int(match.group(1)), int(match.group(2)))


def zone(name: str) -> ZoneInfo:
    """The IANA timezone ``name``; refuses anything else (no paths, no abbreviations)."""
    if not name or name not in _zone_names():
        raise InvalidRequest("unknown IANA timezone", field="timezone", value=name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise InvalidRequest("unknown IANA timezone", field="timezone", value=name) from e


_ZONES: set[str] = set()


def _zone_names() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


def check_weekdays(weekdays: Iterable[int]) -> tuple[int, ...]:
    days = tuple(sorted(set(weekdays)))
    if any(d < 0 or d > 6 for d in days):
        raise InvalidRequest("weekdays are 0 (Monday) to 6 (Sunday)", field="weekdays")
    return days


def cutoff_at(
    date: dt.date,
    *,
    weekdays: Iterable[int],
    cutoff: str | None,
    timezone: str,
    holidays: Iterable[dt.date] = (),
) -> dt.datetime | None:
    """The instant (UTC) ordering for ``date`` closes, or None if the cafe does not serve then.

    A wall-clock cutoff that falls into a DST gap resolves to the earlier offset
    (fold=0), i.e. an instant that exists; one in a repeated hour takes the first one.
    """
    if cutoff is None or date.weekday() not in set(weekdays) or date in set(holidays):
        return None
    local = dt.datetime.combine(date, parse_cutoff(cutoff), tzinfo=zone(timezone))
    return local.astimezone(dt.UTC)


def local_date(now: dt.datetime, timezone: str) -> dt.date:
    """The calendar date at instant ``now`` in ``timezone``."""
    return now.astimezone(zone(timezone)).date()
