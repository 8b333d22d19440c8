"""Dish tags: only known lowercase words, each once, kept on the menu and in its snapshot."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
import pytest

from commands.messages import DishInput
from domain import cafe as cafe_model
from domain import events as ev
from domain import menu
from domain.dish_tags import KNOWN_TAGS, check_tags
from domain.errors import InvalidRequest

NOW = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)
CAFE = cafe_model.CafeState(id=uuid.UUID(int=7), name="Blini", timezone="UTC", currency="RUB")


def menu_with(tags: tuple[str, ...]) -> ev.MenuSet:
    dish = ev.Dish(id=uuid.UUID(int=1), name="Soup", category="soup", price=100, tags=tags)
    return menu.set_menu(CAFE, [dish], [], now=NOW, actor="1")


def test_the_contracts_examples_are_known() -> None:
    """The contract's sample tags are all in the known list."""
    sample = {"vegetarian", "vegan", "spicy", "nuts", "gluten_free", "lactose_free", "pork"}
    assert sample <= set(KNOWN_TAGS)
    assert all(t == t.lower() for t in KNOWN_TAGS)


def test_known_tags_are_kept_in_order() -> None:
    """A menu keeps a dish's known tags as given."""
    assert menu_with(("spicy", "vegan")).dishes[0].tags == ("spicy", "vegan")


def test_a_dish_may_have_no_tags() -> None:
    """No tags is a valid menu."""
    assert menu_with(()).dishes[0].tags == ()


@pytest.mark.parametrize("bad", ["meaty", "Vegan", "VEGAN", " vegan", ""])
def test_unknown_or_non_lowercase_tag_is_refused_naming_the_field(bad: str) -> None:
    """An unknown tag (or one not in lowercase) is invalid_request on dishes.tags."""
    with pytest.raises(InvalidRequest) as refused:
        menu_with(("vegan", bad))
    assert refused.value.code == "invalid_request"
    assert refused.value.details["field"] == "dishes.tags"
    assert repr(bad) in str(refused.value)


def test_a_repeated_tag_is_refused() -> None:
    """Each tag appears at most once on a dish."""
    with pytest.raises(InvalidRequest, match="repeat"):
        check_tags(["spicy", "spicy"])


def test_the_menu_snapshot_keeps_tags() -> None:
    """Replaying a MenuSet puts the tags on the cafe's dishes."""
    cafe = cafe_model.evolve(msgspec.structs.replace(CAFE), menu_with(("pork",)))
    assert cafe.dishes[0].tags == ("pork",)


def test_dish_input_decodes_only_known_tags() -> None:
    """The request body's tags are the known list (what OpenAPI shows as an enum)."""
    body = b'{"name":"Soup","category":"soup","price":100,"tags":["vegan"]}'
    assert msgspec.json.decode(body, type=DishInput).tags == ["vegan"]
    assert (
        msgspec.json.decode(b'{"name":"S","category":"soup","price":1}', type=DishInput).tags == []
    )
    with pytest.raises(msgspec.ValidationError, match="tags"):
        msgspec.json.decode(body.replace(b"vegan", b"meaty"), type=DishInput)
