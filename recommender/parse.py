"""Reading Gemini's answer back into suggestions, trusting nothing in it."""

from __future__ import annotations

import msgspec

from recommender.fallback import ITEMS, item
from recommender.model import Item
from recommender.prompt import Entry

MAX_REASON = 200


class Malformed(Exception):
    """The answer is not JSON of the response schema's shape."""


class _Pick(msgspec.Struct, frozen=True):
    id: str
    reason: str


class _Ranked(msgspec.Struct, frozen=True):
    ref: str
    items: list[_Pick]


class _Answer(msgspec.Struct, frozen=True):
    employees: list[_Ranked]


def parse(text: str, batch: list[Entry]) -> dict[int, list[Item]]:
    """Per Telegram id, the ranked items Gemini gave; unknown refs and dish ids, repeats and
    empty reasons are dropped, and an employee left with nothing is absent (→ fallback)."""
    try:
        answer = msgspec.json.decode(text, type=_Answer)
    except msgspec.DecodeError as e:
        raise Malformed(str(e)) from e
    by_ref = {e.ref: e for e in batch}
    result: dict[int, list[Item]] = {}
    for ranked in answer.employees:
        entry = by_ref.get(ranked.ref)
        if entry is None or entry.tg_id in result:
            continue
        known = entry.by_id()
        items: list[Item] = []
        seen: set[str] = set()
        for pick in ranked.items:
            reason = " ".join(pick.reason.split())[:MAX_REASON]
            if pick.id not in known or pick.id in seen or not reason:
                continue
            seen.add(pick.id)
            items.append(item(known[pick.id], reason))
        if items:
            result[entry.tg_id] = items[:ITEMS]
    return result
