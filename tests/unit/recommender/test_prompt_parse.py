"""The prompt carries no personal data; the answer is trusted only as far as it checks out."""

from __future__ import annotations

import json

import pytest

from recommender.model import Candidate, MenuDish
from recommender.parse import Malformed, parse
from recommender.prompt import Entry, entries, prompt


def candidate(n: int) -> Candidate:
    dish = MenuDish(
        cafe_id="cafe-1",
        cafe_name="Уют",
        dish_id=f"dish-{n}",
        name=f"Блюдо {n}",
        category="main",
        combo_price=35000,
    )
    return Candidate(dish=dish, times_ordered=n, days_since_last=n or None, score=float(n))


def batch() -> list[Entry]:
    return entries([(2001, "ru", [candidate(1), candidate(2)]), (2002, "en", [candidate(3)])])


def test_prompt_names_employees_only_by_reference() -> None:
    """Telegram ids and dish ids stay out of the prompt; refs, languages and dishes go in."""
    text = prompt(batch())
    assert "2001" not in text
    assert "dish-1" not in text
    data = json.loads(text.split("Employees:\n", 1)[1])
    assert [(e["ref"], e["language"]) for e in data] == [("e1", "ru"), ("e2", "en")]
    assert [c["id"] for c in data[0]["candidates"]] == ["c1", "c2"]
    assert data[0]["candidates"][0]["dish"] == "Блюдо 1"


def test_parse_maps_refs_back_and_drops_unknown_dish_ids() -> None:
    """Known picks become items of the right employee; unknown ids and repeats are dropped."""
    answer = {
        "employees": [
            {
                "ref": "e1",
                "items": [
                    {"id": "c2", "reason": "Вкусно"},
                    {"id": "c7", "reason": "не было такого"},
                    {"id": "c2", "reason": "ещё раз"},
                    {"id": "c1", "reason": "  Сытно\n "},
                ],
            },
            {"ref": "e9", "items": [{"id": "c1", "reason": "nobody"}]},
            {"ref": "e2", "items": [{"id": "c5", "reason": "unknown"}]},
        ]
    }
    found = parse(json.dumps(answer), batch())
    assert list(found) == [2001]
    assert [(i.dish_id, i.reason) for i in found[2001]] == [
        ("dish-2", "Вкусно"),
        ("dish-1", "Сытно"),
    ]
    assert found[2001][0].cafe_id == "cafe-1"


@pytest.mark.parametrize(
    "text", ["", "not json", '{"employees": [{"ref": "e1"}]}', '{"employees": "e1"}', "[]"]
)
def test_malformed_answers_raise(text: str) -> None:
    """Anything but the schema's shape is Malformed, so the batch falls back."""
    with pytest.raises(Malformed):
        parse(text, batch())
