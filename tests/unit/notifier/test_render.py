"""The cafe's message, rendered from a cafe-day sheet: snapshots and the splitting rules.

Refresh the snapshots after a deliberate change with ``UPDATE_SNAPSHOTS=1 pytest
tests/unit/notifier/test_render.py`` and review the difference.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from notifier.render import (
    MESSAGE_LIMIT,
    acknowledged_text,
    render_dispatch,
    repeat_notice,
    split_message,
    telegram_length,
)
from projections.reads.results import CafeDaySheet, DishCount, ExtraCount, SheetLine

SNAPSHOTS = Path(__file__).with_name("snapshots")
DAY = dt.date(2026, 11, 23)
MOSCOW = ZoneInfo("Europe/Moscow")


def line(n: int, name: str, office: str = "HQ", note: str = "") -> SheetLine:
    return SheetLine(
        order_id=uuid.UUID(int=n),
        tg_id=2000 + n,
        name=name,
        office=office,
        combo_name="Soup and main",
        dishes=("Borscht", "Cutlet & mash"),
        extras=("Bread ×2",),
        total=49000,
        note=note,
        status="placed",
        late=False,
        reason=None,
    )


def sheet(people: list[SheetLine], cafe: str = "Café <Pushkin> & Sons") -> CafeDaySheet:
    return CafeDaySheet(
        cafe_id=uuid.UUID(int=1),
        cafe_name=cafe,
        date=DAY,
        as_of=None,
        closed=True,
        closed_at=None,
        early=False,
        dispatch_status=None,
        dispatched_at=None,
        acknowledged_at=None,
        orders_count=len(people),
        total=49000 * len(people),
        currency="RUB",
        combos=(),
        dishes=(
            DishCount(
                dish_id=uuid.UUID(int=10), name="Borscht", category="soup", count=len(people)
            ),
            DishCount(
                dish_id=uuid.UUID(int=11), name="Cutlet & mash", category="main", count=len(people)
            ),
        ),
        extras=(
            ExtraCount(extra_id=uuid.UUID(int=12), name="Bread", qty=2 * len(people), total=0),
        ),
        orders=tuple(people),
        late=(),
    )


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_names_with_markup_and_emoji_are_escaped() -> None:
    """Names, offices and notes with <, & and emoji appear escaped, in the reviewed layout."""
    people = [
        line(1, "Ann <admin>", note="no onions & no garlic <please>"),
        line(2, "Борис 🍕 Smith", office="R&D"),
    ]
    text = render_dispatch(sheet(people))
    check_snapshot("dispatch_escaped.html", text)
    assert "&lt;admin&gt;" in text
    assert "R&amp;D" in text
    assert "<admin>" not in text


def test_repeat_notice_leads_the_message() -> None:
    """A dispatch sent again opens with the repeat notice in the cafe's local time."""
    first = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
    text = render_dispatch(sheet([line(1, "Ann")]), notice=repeat_notice(first, MOSCOW))
    assert text.splitlines()[0] == (
        "🔁 <b>Repeat of the 11:00 order</b> — ignore it if you already have it."
    )


def test_a_long_day_splits_into_parts_under_the_limit() -> None:
    """Three hundred people need several parts, each under 4096 units, cut between lines,
    and together they hold every person once."""
    people = [line(n, f"Person {n} 🙂", note="x" * 40) for n in range(300)]
    text = render_dispatch(sheet(people))
    parts = split_message(text)
    assert len(parts) > 1
    assert all(telegram_length(p) <= MESSAGE_LIMIT - 120 for p in parts)
    assert "\n".join(parts) == text
    check_snapshot("dispatch_long_part2.html", parts[1])
    for n in range(300):
        assert sum(f"Person {n} 🙂</b>" in p for p in parts) == 1


@given(st.lists(st.text(alphabet="ab🙂 ", max_size=20), max_size=60), st.integers(40, 400))
def test_splitting_is_stable_and_bounded(lines: list[str], limit: int) -> None:
    """Parts fit the limit, rejoin to the text, and splitting the rejoined text again gives
    the same parts (the bot finds a part again from the recorded text)."""
    text = "\n".join(lines)
    parts = split_message(text, limit)
    assert all(telegram_length(p) <= limit for p in parts)
    assert "\n".join(parts) == text
    assert split_message("\n".join(parts), limit) == parts


def test_a_line_longer_than_a_message_is_cut() -> None:
    """A single line over the limit is cut into pieces that fit."""
    parts = split_message("a" * 50, 20)
    assert parts == ["a" * 20, "a" * 20, "a" * 10]


def test_acknowledged_part_names_who_and_when() -> None:
    """The acknowledged message ends with who confirmed it and at what local time."""
    at = dt.datetime(2026, 11, 23, 7, 7, tzinfo=dt.UTC)
    assert acknowledged_text("orders", "Chef <Bob>", at, MOSCOW).endswith(
        "✓ received by Chef &lt;Bob&gt; at 10:07"
    )
