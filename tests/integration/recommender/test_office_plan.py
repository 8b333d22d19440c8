"""Candidates from the read models: active employees, the next ordering day, history, budget."""

from __future__ import annotations

import datetime as dt

from psycopg_pool import ConnectionPool

from commands.store import EventStore
from recommender import reads
from recommender.plan import plan
from tests.integration.recommender.office import ACTIVE, TIMEZONE, build_office


def test_plan_reads_the_office(store: EventStore, pool: ConnectionPool) -> None:
    """Only employees who ordered lately are active; each gets candidates for today: dishes
    eaten on each of the last days are left out, favourites lead, yesterday's dish drops."""
    now = dt.datetime.now(dt.UTC)
    office = build_office(store, pool, now)
    with pool.connection() as conn:
        active = reads.active_employees(conn, now)
        planned = plan(conn, active, now, TIMEZONE, {2002: "en"})
    assert active == list(ACTIVE)
    assert {p.language for p in planned} == {"ru", "en"}
    anna = planned[0]
    assert anna.day is not None
    names = [c.dish.name for c in anna.candidates]
    assert "Пельмени" not in names
    assert "Оливье" not in names
    boris = [c.dish.name for c in planned[1].candidates]
    assert boris[:2] == ["Котлета", "Плов"]
    assert all(c.dish.cafe_id == office.cafe_id for c in anna.candidates)
    assert {c.dish.combo_price for c in anna.candidates} == {35000, 45000}
