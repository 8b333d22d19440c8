"""The schema rewrite that replays projections into other tables."""

from __future__ import annotations

import pytest

from projections.engine.redirect import rewrite


def test_read_tables_move_to_the_target_schema() -> None:
    """Plain and quoted ``read.`` prefixes move; words that merely end in "read" do not."""
    query = 'INSERT INTO read.orders SELECT * FROM "read".sheet_days, already.x, thread.y'
    assert rewrite(query, "pg_temp") == (
        'INSERT INTO "pg_temp".orders SELECT * FROM "pg_temp".sheet_days, already.x, thread.y'
    )


def test_a_column_named_read_is_left_alone() -> None:
    """``t.read.x`` is not a table of the read schema."""
    assert rewrite("SELECT t.read FROM read.tracking t", "s") == 'SELECT t.read FROM "s".tracking t'


def test_a_read_table_it_cannot_move_is_refused() -> None:
    """A statement that would still reach the live schema is never sent."""
    with pytest.raises(ValueError, match="cannot move"):
        rewrite("SELECT * FROM read .orders", "s")
