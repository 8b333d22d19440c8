"""Parsing the employees CSV: ``tg_id,name,office[,role][,monthly_limit]``."""

from __future__ import annotations

import csv
import io

import msgspec

from domain.employee import MAX_TG_ID, ROLES
from domain.text import has_control

REQUIRED = ("tg_id", "name", "office")
OPTIONAL = ("role", "monthly_limit")
MAX_ROWS = 10_000


class RosterRow(msgspec.Struct, frozen=True, kw_only=True):
    line: int
    tg_id: int
    name: str
    office: str
    role: str | None = None
    monthly_limit: int | None = None


class RosterError(msgspec.Struct, frozen=True):
    line: int
    reason: str


def parse_roster(text: str) -> tuple[list[RosterRow], list[RosterError]]:
    """Rows that parse, and a reason for each line that does not (line 1 is the header)."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as e:
        return [], [RosterError(1, f"not readable as CSV: {e}")]
    missing = [h for h in REQUIRED if h not in header]
    unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
    if missing or unknown:
        reason = f"header must be tg_id,name,office[,role][,monthly_limit]; got {','.join(header)}"
        return [], [RosterError(1, reason)]
    rows: list[RosterRow] = []
    errors: list[RosterError] = []
    seen: dict[int, int] = {}
    while True:
        number = reader.line_num + 1  # where the next record starts
        try:
            cells = next(reader, None)
        except csv.Error as e:
            errors.append(RosterError(number, f"not readable as CSV: {e}; stopped here"))
            break
        if cells is None:
            break
        if not any(c.strip() for c in cells):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RosterError(number, f"at most {MAX_ROWS} rows per import"))
            break
        row, reason = _row(number, header, cells)
        if row is None:
            errors.append(RosterError(number, reason))
        elif row.tg_id in seen:
            errors.append(RosterError(number, f"tg_id {row.tg_id} repeats line {seen[row.tg_id]}"))
        else:
            seen[row.tg_id] = number
            rows.append(row)
    return rows, errors


def _row(  # noqa: PLR0911 - one early return per rule, each with its reason
    number: int, header: list[str], cells: list[str]
) -> tuple[RosterRow | None, str]:
    if len(cells) != len(header):
        return None, f"expected {len(header)} fields, got {len(cells)}"
    values = {h: c.strip() for h, c in zip(header, cells, strict=True)}
    if any(has_control(v) for v in values.values()):
        return None, "control characters are not allowed"
    if not values["tg_id"].isdigit() or not 0 < int(values["tg_id"]) < MAX_TG_ID:
        return None, "tg_id must be a positive integer"
    if not values["name"] or len(values["name"]) > 120:
        return None, "name must be 1..120 characters"
    if not values["office"] or len(values["office"]) > 120:
        return None, "office must be 1..120 characters"
    role = values.get("role") or None
    if role is not None and role not in ROLES:
        return None, f"role must be one of {', '.join(ROLES)}"
    limit_text = values.get("monthly_limit") or ""
    if limit_text and (not limit_text.isdigit() or len(limit_text) > 12):
        return None, "monthly_limit must be a non-negative integer (kopecks)"
    return (
        RosterRow(
            line=number,
            tg_id=int(values["tg_id"]),
            name=values["name"],
            office=values["office"],
            role=role,
            monthly_limit=int(limit_text) if limit_text else None,
        ),
        "",
    )
