"""The deterministic candidates and ranking: budget, history, streaks, variety."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from recommender.fallback import CANDIDATES, ITEMS, candidates, ranking, reason
from recommender.model import MenuDish, PastDish, Profile

DAY = dt.date(2026, 11, 26)


def dish(n: int, category: str = "main", price: int = 35000, cafe: str = "A") -> MenuDish:
    return MenuDish(
        cafe_id=cafe,
        cafe_name=f"Cafe {cafe}",
        dish_id=f"d{n}",
        name=f"Dish {n:02}",
        category=category,
        combo_price=price,
    )


def ate(dish_id: str, days_ago: int, cafe: str = "A") -> PastDish:
    return PastDish(date=DAY - dt.timedelta(days=days_ago), cafe_id=cafe, dish_id=dish_id)


def profile(*history: PastDish, remaining: int | None = None, language: str = "ru") -> Profile:
    return Profile(tg_id=1, language=language, remaining=remaining, history=history)


def test_dishes_over_the_remaining_limit_are_left_out() -> None:
    """A dish whose cheapest combo costs more than what is left of the month is no candidate."""
    menu = [dish(1, price=30000), dish(2, price=50000)]
    found = candidates(menu, profile(remaining=40000), DAY)
    assert [c.dish.dish_id for c in found] == ["d1"]


def test_history_ranks_favourites_first() -> None:
    """The dish ordered most often comes first."""
    menu = [dish(1), dish(2), dish(3)]
    mine = profile(ate("d2", 10), ate("d2", 8), ate("d3", 9))
    assert [c.dish.dish_id for c in candidates(menu, mine, DAY)] == ["d2", "d3", "d1"]


def test_a_dish_eaten_on_the_last_two_ordering_days_is_left_out() -> None:
    """The same dish many days in a row is not suggested again, however much it is liked."""
    menu = [dish(1), dish(2, category="soup")]
    mine = profile(ate("d1", 1), ate("d1", 2), ate("d1", 5), ate("d2", 2))
    assert [c.dish.dish_id for c in candidates(menu, mine, DAY)] == ["d2"]


def test_variety_limits_one_category_and_keeps_new_dishes() -> None:
    """At most two of one category among favourites, and room for dishes never ordered."""
    mains = [dish(n) for n in range(1, 8)]
    soups = [dish(n, category="soup") for n in range(10, 20)]
    history = [ate(f"d{n}", 3 + n) for n in range(1, 8) for _ in range(3)]
    found = candidates(mains + soups, profile(*history), DAY)
    # By score alone it would be seven mains and one soup.
    assert len(found) == CANDIDATES
    assert Counter(c.dish.category for c in found) == {"main": 4, "soup": 4}
    assert sum(1 for c in found if c.times_ordered == 0) == 4


def test_ranking_is_deterministic_with_reasons_in_the_language() -> None:
    """The same data gives the same items; Russian and English reasons say what they rely on."""
    menu = [dish(n) for n in range(1, 10)]
    mine = profile(ate("d4", 9), ate("d4", 7), ate("d4", 5))
    first = ranking(candidates(menu, mine, DAY), "ru")
    assert first == ranking(candidates(list(reversed(menu)), mine, DAY), "ru")
    assert len(first) == ITEMS
    assert first[0].dish_id == "d4"
    assert first[0].reason == "Вы заказывали это 3 раза в «Cafe A»"
    found = candidates(menu, mine, DAY)
    assert reason(found[1], "en") == "Something new at Cafe A"
