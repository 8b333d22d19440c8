"""The Gemini request for a batch of employees: instructions, the data, the response schema.

Employees appear only as ``e1``, ``e2`` … and their dishes as ``c1``, ``c2`` …: no names,
Telegram ids, notes or order texts leave the process, only menu facts and order counts.
"""

from __future__ import annotations

from typing import Any

import msgspec

from recommender.fallback import ITEMS
from recommender.model import Candidate

INSTRUCTIONS = f"""You recommend lunch dishes to office employees.
For every employee below, rank up to {ITEMS} of *their own* candidate dishes (refer to them
by id, exactly as given) from the most to the least fitting, and give each a short, friendly
reason of at most 15 words, written in the employee's language (an ISO 639-1 code).
Use only the facts given: how often and how recently they had a dish, its category and cafe.
Prefer variety: do not put the same category first for everyone, and suggest something new
when their history is repetitive. Answer with JSON that follows the response schema."""

RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "employees": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "ref": {"type": "string"},
                    "items": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": {"type": "string"},
                                "reason": {"type": "string"},
                            },
                            "required": ["id", "reason"],
                        },
                    },
                },
                "required": ["ref", "items"],
            },
        }
    },
    "required": ["employees"],
}


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    """One employee of a batch: the reference Gemini sees, and what it refers to."""

    ref: str
    tg_id: int
    language: str
    candidates: tuple[Candidate, ...]

    def by_id(self) -> dict[str, Candidate]:
        return {f"c{i}": c for i, c in enumerate(self.candidates, start=1)}


def entries(batch: list[tuple[int, str, list[Candidate]]]) -> list[Entry]:
    """Number a batch of (tg_id, language, candidates) as e1, e2, …"""
    return [
        Entry(ref=f"e{i}", tg_id=tg_id, language=language, candidates=tuple(found))
        for i, (tg_id, language, found) in enumerate(batch, start=1)
    ]


def _dish(cid: str, c: Candidate) -> dict[str, Any]:
    return {
        "id": cid,
        "dish": c.dish.name,
        "category": c.dish.category,
        "cafe": c.dish.cafe_name,
        "times_ordered": c.times_ordered,
        "days_since_last": c.days_since_last,
    }


def prompt(batch: list[Entry]) -> str:
    """The whole request text for one Gemini call."""
    data = [
        {
            "ref": e.ref,
            "language": e.language,
            "candidates": [_dish(cid, c) for cid, c in e.by_id().items()],
        }
        for e in batch
    ]
    return f"{INSTRUCTIONS}\n\nEmployees:\n{msgspec.json.encode(data).decode()}"
