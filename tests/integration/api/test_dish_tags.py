"""Dish tags over HTTP: PUT menu stores them, GET menu shows them, a bad tag changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from commands.store import EventStore
from tests.integration.api.conftest import EMPLOYEE, login, wait_for
from tests.integration.api.office import seed

DISHES = [
    {"name": "Борщ", "category": "soup", "price": 20000, "tags": ["vegetarian", "gluten_free"]},
    {"name": "Пельмени", "category": "main", "price": 30000, "tags": ["pork"]},
    {"name": "Котлета", "category": "main", "price": 28000},
]


def tags_by_name(menu: dict[str, Any]) -> dict[str, list[str]]:
    return {d["name"]: d["tags"] for d in menu["dishes"]}


def test_tags_round_trip_through_put_and_get_menu(client: TestClient[Any]) -> None:
    """The manager's tags come back on the PUT answer and on GET menu, theirs and others'."""
    office = seed(client)
    url = f"/api/cafes/{office.cafe_id}/menu"
    put = client.put(url, json={"dishes": DISHES, "extras": []}, headers=office.manager)
    assert put.status_code == 200, put.text
    expected = {"Борщ": ["vegetarian", "gluten_free"], "Пельмени": ["pork"], "Котлета": []}
    assert tags_by_name(put.json()) == expected
    # The manager reads their own write at once; other readers once the projection has it.
    assert tags_by_name(client.get(url, headers=office.manager).json()) == expected
    employee = login(client, EMPLOYEE)
    wait_for(lambda: tags_by_name(client.get(url, headers=employee).json()) == expected or None)


@pytest.mark.parametrize(
    ("tags", "field"),
    [
        (["vegan", "meaty"], "dishes[0].tags[1]"),
        (["Vegan"], "dishes[0].tags[0]"),
        (["spicy", "spicy"], "dishes.tags"),
    ],
)
def test_a_bad_tag_is_400_and_changes_nothing(
    client: TestClient[Any], store: EventStore, tags: list[str], field: str
) -> None:
    """An unknown, non-lowercase or repeated tag is invalid_request naming the field; no event."""
    office = seed(client)
    url = f"/api/cafes/{office.cafe_id}/menu"
    before = client.get(url, headers=office.manager).json()
    head = store.head()
    body = {"dishes": [{"name": "Суп", "category": "soup", "price": 100, "tags": tags}]}
    refused = client.put(url, json=body, headers=office.manager)
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["details"]["field"] == field
    assert store.head() == head
    assert client.get(url, headers=office.manager).json()["dishes"] == before["dishes"]
