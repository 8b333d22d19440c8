"""How many Gemini requests a night costs: employees are batched, twenty to a request."""

from __future__ import annotations

import datetime as dt

from recommender.model import Candidate, MenuDish
from recommender.nightly import BATCH, batches
from recommender.plan import Planned

DISH = MenuDish(
    cafe_id="c", cafe_name="Уют", dish_id="d", name="Борщ", category="soup", combo_price=1
)
ONE = [Candidate(dish=DISH, times_ordered=0, days_since_last=None, score=0.0)]


def office(size: int, without_candidates: int = 0) -> list[Planned]:
    day = dt.date(2026, 11, 26)
    return [
        Planned(tg_id=n, language="ru", day=day, candidates=ONE if n >= without_candidates else [])
        for n in range(size)
    ]


def test_an_office_of_500_costs_25_requests() -> None:
    """500 active employees with candidates make 25 requests of at most BATCH employees."""
    found = batches(office(500))
    assert BATCH == 20
    assert len(found) == 25
    assert {len(b) for b in found} == {20}
    assert sorted(p.tg_id for b in found for p in b) == list(range(500))


def test_employees_with_nothing_to_rank_cost_nothing() -> None:
    """Employees without candidates (no cafe serving, nothing affordable) are not sent."""
    found = batches(office(41, without_candidates=20))
    assert [len(b) for b in found] == [20, 1]
