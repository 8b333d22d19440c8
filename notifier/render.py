"""The cafe's message: a cafe-day sheet as Telegram HTML, split into parts that fit.

Pure: the same sheet always gives the same text. Every name and note is HTML-escaped;
each line closes the tags it opens, so a part may end after any line.
"""

from __future__ import annotations

import datetime as dt
import html

from domain.money import format_money
from projections.reads.results import CafeDaySheet, SheetLine

# Telegram refuses messages over 4096 characters (UTF-16 units, after entity parsing);
# measuring the HTML source leaves a margin for the tags.
MESSAGE_LIMIT = 4096
# Room kept in every part for the "✓ received by …" line added on acknowledgement.
ACK_RESERVE = 120
ACK_BUTTON = "✓ Received"


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _person(line: SheetLine) -> list[str]:
    items = [*line.dishes, *line.extras]
    where = f" ({_e(line.office)})" if line.office else ""
    out = [f"• <b>{_e(line.name)}</b>{where}: {_e(', '.join(items))}"]
    if line.note:
        out.append(f"   <i>note: {_e(line.note)}</i>")
    return out


def repeat_notice(first_at: dt.datetime, timezone: dt.tzinfo) -> str:
    """The first line of a dispatch sent again, so a cook does not cook it twice."""
    local = first_at.astimezone(timezone).strftime("%H:%M")
    return f"🔁 <b>Repeat of the {local} order</b> — ignore it if you already have it."


def render_dispatch(sheet: CafeDaySheet, *, notice: str = "") -> str:
    """Header (cafe, date, orders, total), counts per dish and extra, then each person."""
    lines = [notice, ""] if notice else []
    total = format_money(sheet.total, sheet.currency)
    lines += [
        f"🍱 <b>{_e(sheet.cafe_name)}</b> — orders for {sheet.date.isoformat()}",
        f"Orders: <b>{sheet.orders_count}</b> · Total: <b>{total}</b>",
        "",
        "<b>Dishes</b>",
    ]
    lines += [f"{_e(d.category)}: {_e(d.name)} × {d.count}" for d in sheet.dishes]
    if sheet.extras:
        lines += ["", "<b>Extras</b>"]
        lines += [f"{_e(x.name)} × {x.qty}" for x in sheet.extras]
    lines += ["", "<b>By person</b>"]
    for line in sheet.orders:
        lines += _person(line)
    return "\n".join(lines)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji may count twice)."""
    return len(text.encode("utf-16-le")) // 2


def _chop(line: str, limit: int) -> list[str]:
    """A single line too long for one message, cut into pieces (rare: a very long note)."""
    pieces, piece = [], ""
    for char in line:
        if telegram_length(piece + char) > limit:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


def split_message(text: str, limit: int = MESSAGE_LIMIT - ACK_RESERVE) -> list[str]:
    """Parts of at most ``limit`` units, cut on line boundaries, greedily: joining the parts
    with newlines and splitting again gives the same parts."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for raw in text.split("\n"):
        for line in _chop(raw, limit) if telegram_length(raw) > limit else [raw]:
            extra = telegram_length(line) + (1 if current else 0)
            if current and size + extra > limit:
                parts.append("\n".join(current))
                current, size = [], 0
                extra = telegram_length(line)
            current.append(line)
            size += extra
    if current:
        parts.append("\n".join(current))
    return parts


def acknowledged_text(part: str, name: str, at: dt.datetime, timezone: dt.tzinfo) -> str:
    """The dispatch's last part once the cafe pressed the button."""
    local = at.astimezone(timezone).strftime("%H:%M")
    return f"{part}\n\n✓ received by {_e(name)} at {local}"
