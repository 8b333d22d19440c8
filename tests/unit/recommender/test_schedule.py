"""Which day suggestions are for, when the nightly run fires, which language a request asks."""

from __future__ import annotations

import datetime as dt

from recommender.day import CafeSchedule, next_ordering_day
from recommender.facade import language_of
from recommender.keys import next_reset, quota_day
from recommender.runner import next_run

MSK = "Europe/Moscow"
# Thursday 26 November 2026, 09:00 in Moscow.
THURSDAY_9 = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)


def cafe(cafe_id: str, weekdays: tuple[int, ...], **kw: object) -> CafeSchedule:
    return CafeSchedule(cafe_id=cafe_id, timezone=MSK, weekdays=weekdays, cutoff="11:00", **kw)  # type: ignore[arg-type]


def test_today_while_a_cafe_still_takes_orders() -> None:
    """Before the cutoff, the day is today and only cafes serving today count."""
    found = next_ordering_day([cafe("a", (3,)), cafe("b", (4,))], THURSDAY_9, MSK)
    assert found == (dt.date(2026, 11, 26), ["a"])


def test_after_the_cutoff_or_a_closure_the_next_served_day() -> None:
    """Past the cutoff, closed early, or on a holiday, the next day some cafe serves."""
    after = THURSDAY_9 + dt.timedelta(hours=3)
    weekdays = (0, 1, 2, 3, 4)
    assert next_ordering_day([cafe("a", weekdays)], after, MSK) == (dt.date(2026, 11, 27), ["a"])
    closed = cafe("a", weekdays, closed=frozenset({dt.date(2026, 11, 26)}))
    assert next_ordering_day([closed], THURSDAY_9, MSK) == (dt.date(2026, 11, 27), ["a"])
    holiday = cafe("a", (3, 4), holidays=frozenset({dt.date(2026, 11, 27)}))
    assert next_ordering_day([holiday], after, MSK) == (dt.date(2026, 12, 3), ["a"])
    assert next_ordering_day([cafe("a", ())], THURSDAY_9, MSK) is None


def test_nightly_run_time_is_wall_clock_in_the_office_timezone() -> None:
    """03:00 in Moscow is 00:00 UTC; once passed, the next one is a day later."""
    assert next_run(THURSDAY_9, "03:00", MSK) == dt.datetime(2026, 11, 27, 0, 0, tzinfo=dt.UTC)
    early = dt.datetime(2026, 11, 25, 23, 0, tzinfo=dt.UTC)
    assert next_run(early, "03:00", MSK) == dt.datetime(2026, 11, 26, 0, 0, tzinfo=dt.UTC)


def test_quota_day_and_reset_follow_pacific_time() -> None:
    """Gemini's daily quota resets at midnight in Los Angeles (08:00 UTC in November)."""
    assert quota_day(THURSDAY_9) == "2026-11-25"
    assert next_reset(THURSDAY_9) == dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


def test_language_of_takes_the_first_two_letter_code() -> None:
    """Accept-Language's first entry as a lowercase code; anything odd is no language."""
    assert language_of("ru-RU,ru;q=0.9,en;q=0.8") == "ru"
    assert language_of("EN") == "en"
    assert language_of("*") is None
    assert language_of(None) is None
    assert language_of("x-klingon") is None
