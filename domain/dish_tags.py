"""Dish tags: the short words a menu may put on a dish (shown as badges, filterable).

The list is closed so the Mini App can translate and filter every tag; events store the
tags as plain strings, so retiring a word later does not break decoding old menus.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

from domain.errors import InvalidRequest

DishTag = Literal[
    "vegetarian", "vegan", "spicy", "nuts", "gluten_free", "lactose_free", "pork", "fish"
]
KNOWN_TAGS: tuple[str, ...] = get_args(DishTag)
MAX_TAGS = len(KNOWN_TAGS)


def check_tags(tags: Sequence[str], field: str = "dishes.tags") -> tuple[str, ...]:
    """``tags`` as stored: each known, lowercase, at most once; refused otherwise."""
    for tag in tags:
        if tag not in KNOWN_TAGS:
            known = ", ".join(KNOWN_TAGS)
            raise InvalidRequest(f"{field}: unknown tag {tag!r} (known: {known})", field=field)
    if len(set(tags)) != len(tags):
        raise InvalidRequest(f"{field} must not repeat a tag", field=field)
    return tuple(tags)
