"""The deterministic side: which dishes an employee could order on a day, in what order, why.

Gemini only reorders and explains these candidates; when it cannot, this order is the answer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from recommender.model import Candidate, Item, MenuDish, Profile

CANDIDATES = 8  # what Gemini gets to rank per employee
ITEMS = 5  # what the employee sees
PER_CATEGORY = 2  # variety: no more than this many candidates of one category
NEW_DISHES = 2  # variety: slots kept for dishes the employee has never ordered
STREAK = 2  # a dish eaten on each of the last STREAK ordering days is left out …
STREAK_RECENT_DAYS = 3  # … when the last of them was at most this many days ago


def _streak_dishes(profile: Profile, day: dt.date) -> set[str]:
    """Dishes the employee had on each of their last STREAK ordering days, lately."""
    days = sorted({p.date for p in profile.history if p.date < day}, reverse=True)[:STREAK]
    if len(days) < STREAK or (day - days[0]).days > STREAK_RECENT_DAYS:
        return set()
    per_day = [{p.dish_id for p in profile.history if p.date == day} for day in days]
    return set.intersection(*per_day)


def _score(dish: MenuDish, times: int, since: int | None, cafes: Counter[str]) -> float:
    visits = sum(cafes.values()) or 1
    recent_penalty = 2.0 if since is not None and since <= 1 else 0.0
    return times + cafes[dish.cafe_id] / visits - recent_penalty


def candidates(menu: Iterable[MenuDish], profile: Profile, day: dt.date) -> list[Candidate]:
    """Up to CANDIDATES dishes the employee can afford on ``day``, best first, with variety."""
    before = [p for p in profile.history if p.date < day]
    times = Counter(p.dish_id for p in before)
    cafes = Counter(p.cafe_id for p in before)
    last: dict[str, dt.date] = {}
    for past in before:
        last[past.dish_id] = max(last.get(past.dish_id, past.date), past.date)
    streak = _streak_dishes(profile, day)
    pool: list[Candidate] = []
    for dish in menu:
        if profile.remaining is not None and dish.combo_price > profile.remaining:
            continue
        if dish.dish_id in streak:
            continue
        since = (day - last[dish.dish_id]).days if dish.dish_id in last else None
        score = _score(dish, times[dish.dish_id], since, cafes)
        pool.append(
            Candidate(
                dish=dish, times_ordered=times[dish.dish_id], days_since_last=since, score=score
            )
        )
    pool.sort(key=lambda c: (-c.score, c.dish.name, c.dish.dish_id))
    return _varied(pool)


def _varied(ranked: list[Candidate]) -> list[Candidate]:
    """The best CANDIDATES with at most PER_CATEGORY per category and NEW_DISHES new ones."""
    new = [c for c in ranked if c.times_ordered == 0][:NEW_DISHES]
    room = CANDIDATES - len(new)
    chosen: list[Candidate] = []
    per_category: Counter[str] = Counter()
    for candidate in ranked:
        if len(chosen) == room:
            break
        if candidate in new or per_category[candidate.dish.category] >= PER_CATEGORY:
            continue
        per_category[candidate.dish.category] += 1
        chosen.append(candidate)
    rest = [c for c in ranked if c not in chosen and c not in new]
    chosen += new + rest[: CANDIDATES - len(chosen) - len(new)]
    chosen.sort(key=lambda c: (-c.score, c.dish.name, c.dish.dish_id))
    return chosen


def _times_ru(n: int) -> str:
    few = n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14)
    return f"{n} раза" if few else f"{n} раз"


def reason(candidate: Candidate, language: str) -> str:
    """A short explanation in the employee's language (Russian, else English)."""
    n, cafe = candidate.times_ordered, candidate.dish.cafe_name
    if language == "ru":
        return f"Вы заказывали это {_times_ru(n)} в «{cafe}»" if n else f"Что-то новое в «{cafe}»"
    return f"You ordered this {n} times at {cafe}" if n else f"Something new at {cafe}"


def item(candidate: Candidate, why: str) -> Item:
    dish = candidate.dish
    return Item(cafe_id=dish.cafe_id, dish_id=dish.dish_id, name=dish.name, reason=why)


def ranking(found: list[Candidate], language: str) -> list[Item]:
    """The deterministic answer: the first ITEMS candidates with templated reasons."""
    return [item(c, reason(c, language)) for c in found[:ITEMS]]
