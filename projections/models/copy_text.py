"""Values written as COPY's text format reads them: escaped text, JSON, times, and the
content columns the orders and the sheets both copy from an order event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from domain import events as e

_encode = msgspec.json.Encoder().encode

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def text(value: str | None) -> str:
    """A text value as COPY's text format reads it: backslash, tab and line ends escaped."""
    if value is None:
        return NULL
    # Tab and line ends are not printable: two scans in C, as most text has nothing to escape.
    if value.isprintable() and "\\" not in value:
        return value
    return value.translate(_ESCAPES)


def json(value: Any) -> str:
    """A value as JSON, as COPY's text format reads it (msgspec escapes control characters
    in JSON strings, so only backslashes need doubling)."""
    written = _encode(value).decode()
    return written.replace("\\", "\\\\") if "\\" in written else written


CONTENT_COLUMNS = (
    "order_id, tg_id, cafe_id, date, combo_id, combo_name, dishes, extras, total, currency, note"
)


class _ContentCells:
    """The columns ``CONTENT_COLUMNS`` of an order event, as COPY's text format reads them
    (uuids as their 32 hex digits, which PostgreSQL takes), tab-separated.

    The orders and the sheets copy the same events' content, one after the other: what the
    first wrote is kept for the second, by the event's identity (the entry holds the event,
    so its id is not reused meanwhile) and dropped wholesale past ``limit`` entries.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept: dict[int, tuple[e.Event, str]] = {}

    def __call__(self, c: e.OrderPlaced | e.OrderChanged) -> str:
        found = self.kept.get(id(c))
        if found is not None and found[0] is c:
            return found[1]
        if len(self.kept) >= self.limit:
            self.kept.clear()
        cells = (
            f"{c.order_id.int:032x}\t{c.tg_id}\t{c.cafe_id.int:032x}\t{c.date}\t"
            f"{c.combo_id.int:032x}\t"
            f"{text(c.combo_name)}\t{json(c.dishes)}\t{json(c.extras)}\t{c.total}\t"
            f"{text(c.currency)}\t{text(c.note)}"
        )
        self.kept[id(c)] = (c, cells)
        return cells


content_cells = _ContentCells(limit=65_536)


def stamp(value: dt.datetime | None) -> str:
    """A time as RFC 3339 (its offset kept), or null: msgspec writes it several times
    faster than ``str``."""
    return NULL if value is None else _encode(value)[1:-1].decode()
