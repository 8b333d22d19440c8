"""Reports as CSV for spreadsheets: one row per order, or per cafe-day and per employee.

Money stays in minor units (as in JSON) with a formatted column beside it. Text that a
spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@`` first) is prefixed with
an apostrophe, since names and notes are typed by people.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from domain.money import format_money
from projections.reads.results import CafeDaySheet, PeriodReport

SHEET_HEADER = (
    "date", "cafe", "order_id", "tg_id", "name", "office", "combo", "dishes", "extras",
    "note", "total", "currency", "total_formatted",
)  # fmt: skip
PERIOD_HEADER = (
    "section", "date", "cafe_id", "cafe", "tg_id", "name", "office", "orders_count", "total",
    "currency", "total_formatted",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _text(rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(v) if isinstance(v, str) else v for v in row])
    return out.getvalue()


def sheet_csv(sheet: CafeDaySheet) -> str:
    """One row per counted order of the cafe-day, after a header."""
    rows = [
        (
            sheet.date.isoformat(),
            sheet.cafe_name,
            str(line.order_id),
            line.tg_id,
            line.name,
            line.office,
            line.combo_name,
            "; ".join(line.dishes),
            "; ".join(line.extras),
            line.note,
            line.total,
            sheet.currency,
            format_money(line.total, sheet.currency),
        )
        for line in sheet.orders
    ]
    return _text([SHEET_HEADER, *rows])


def period_csv(report: PeriodReport) -> str:
    """Rows of section ``cafe_day`` (per cafe per day), then ``employee`` (per person)."""
    rows: list[Sequence[object]] = [PERIOD_HEADER]
    for c in report.cafes:
        money = format_money(c.total, c.currency)
        rows.append(
            ("cafe_day", c.date.isoformat(), str(c.cafe_id), c.cafe_name, "", "", "",
             c.orders_count, c.total, c.currency, money)
        )  # fmt: skip
    for p in report.employees:
        money = format_money(p.total, p.currency)
        rows.append(
            ("employee", "", "", "", p.tg_id, p.name, p.office, p.orders_count, p.total,
             p.currency, money)
        )  # fmt: skip
    return _text(rows)
