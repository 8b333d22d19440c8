"""Candidates for a set of employees on the next ordering day, read in a few queries."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from psycopg import Connection

from recommender import reads
from recommender.day import next_ordering_day
from recommender.fallback import candidates
from recommender.model import Candidate, Profile

DEFAULT_LANGUAGE = "ru"


class Planned(msgspec.Struct, frozen=True, kw_only=True):
    """One employee's candidates for ``day`` (empty when no cafe serves soon)."""

    tg_id: int
    language: str
    day: dt.date | None
    candidates: list[Candidate]


def plan(
    conn: Connection[Any],
    tg_ids: list[int],
    now: dt.datetime,
    timezone: str,
    languages: dict[int, str],
) -> list[Planned]:
    """Every employee's candidates for the next day some cafe takes orders."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    found = next_ordering_day(reads.schedules(conn, today), now, timezone)
    if found is None:
        return [
            Planned(tg_id=t, language=languages.get(t, DEFAULT_LANGUAGE), day=None, candidates=[])
            for t in tg_ids
        ]
    day, cafe_ids = found
    menu = reads.menu(conn, cafe_ids)
    pasts = reads.history(conn, tg_ids, day)
    left = reads.remaining(conn, tg_ids, day)
    planned = []
    for tg_id in tg_ids:
        language = languages.get(tg_id, DEFAULT_LANGUAGE)
        profile = Profile(
            tg_id=tg_id,
            language=language,
            remaining=left.get(tg_id),
            history=tuple(pasts.get(tg_id, ())),
        )
        planned.append(
            Planned(
                tg_id=tg_id, language=language, day=day, candidates=candidates(menu, profile, day)
            )
        )
    return planned
