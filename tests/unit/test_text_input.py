"""Free text never carries control characters into the log (PostgreSQL refuses NUL)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import cafe as cafe_model
from domain import employee as employee_model
from domain.errors import InvalidRequest
from domain.roster import parse_roster
from domain.text import clean

NOW = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)
CONTROL = st.sampled_from([chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]])


@given(prefix=st.text(max_size=5), control=CONTROL, suffix=st.text(max_size=5))
def test_control_characters_are_refused(prefix: str, control: str, suffix: str) -> None:
    """Any control character inside a value is refused, multi-line or not."""
    with pytest.raises(InvalidRequest):
        clean(prefix + control + "x" + suffix, "note", max_length=100, multiline=True)


def test_newlines_only_where_text_is_multiline() -> None:
    """A note may span lines; a name may not."""
    assert clean(" two\nlines ", "note", max_length=20, multiline=True) == "two\nlines"
    with pytest.raises(InvalidRequest):
        clean("two\nlines", "name", max_length=20)


def test_names_with_nul_are_refused_everywhere() -> None:
    """Cafe names, employee names and roster lines with NUL write nothing."""
    with pytest.raises(InvalidRequest):
        cafe_model.register_cafe(uuid.uuid4(), "Bli\x00ni", "UTC", "RUB", now=NOW, actor="1")
    with pytest.raises(InvalidRequest):
        employee_model.upsert_employee(
            None, tg_id=1, name="A\x00", office="HQ", role=None, now=NOW, actor="1"
        )
    rows, errors = parse_roster("tg_id,name,office\n1,Ann\x00,HQ\n2,Bob,HQ\n")
    assert [r.tg_id for r in rows] == [2]
    assert errors[0].line == 2


def test_roster_lines_are_counted_as_a_spreadsheet_shows_them() -> None:
    """Line numbers follow the file (quoted newlines included); unreadable CSV is reported."""
    rows, errors = parse_roster('tg_id,name,office\r\n1,"Ann\r\nB",HQ\r\n2,Bob,\r\n3,Cy,HQ\r\n')
    assert [r.tg_id for r in rows] == [3]
    assert [e.line for e in errors] == [2, 4]
    huge = "x" * 200_000
    rows, errors = parse_roster(f'tg_id,name,office\n1,Ann,HQ\n2,"{huge}",HQ\n3,Cy,HQ\n')
    assert [r.tg_id for r in rows] == [1]
    assert errors[0].line == 3
    assert errors[0].reason.startswith("not readable as CSV")
