"""Bad input answers 4xx with the contract's error body, and writes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from commands.store import EventStore
from tests.integration.api.conftest import EMPLOYEE, TODAY, login
from tests.integration.api.office import Office, seed

MISSING = str(uuid.uuid4())


class Setup:
    def __init__(self, client: TestClient[Any], office: Office, store: EventStore) -> None:
        self.client, self.office, self.store = client, office, store
        self.employee = login(client, EMPLOYEE)

    def order(self, **changes: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "cafe_id": self.office.cafe_id,
            "date": TODAY.isoformat(),
            "combo_id": self.office.light,
            "dishes": {
                "salad": self.office.dishes["Оливье"],
                "main": self.office.dishes["Котлета"],
            },
            "extras": [{"extra_id": self.office.extras["Хлеб"], "qty": 1}],
        }
        return {**body, **changes}


@pytest.fixture
def it(write_client: TestClient[Any], store: EventStore) -> Iterator[Setup]:
    office = seed(write_client, read_side=False)
    setup = Setup(write_client, office, store)
    head = store.head()
    yield setup
    assert store.head() == head, "a refused request wrote events"


def refused(response: Any, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert isinstance(error["message"], str)
    assert isinstance(error["details"], dict)
    if field is not None:
        assert error["details"].get("field") == field, error


def post_order(it: Setup, body: Any) -> Any:
    return it.client.post("/api/orders", json=body, headers=it.employee)


def test_malformed_json(it: Setup) -> None:
    """Malformed JSON is 400 invalid_request naming the body."""
    response = it.client.post(
        "/api/orders",
        content=b'{"cafe_id": ',
        headers={**it.employee, "Content-Type": "application/json"},
    )
    refused(response, 400, "invalid_request", "body")


def test_empty_body(it: Setup) -> None:
    """An empty body where one is required is 400 invalid_request."""
    response = it.client.post("/api/orders", headers=it.employee)
    refused(response, 400, "invalid_request")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cafe_id": 123}, "cafe_id"),
        ({"cafe_id": "not-a-uuid"}, "cafe_id"),
        ({"date": "tomorrow"}, "date"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": "9999-12-31"}, "date"),
        ({"date": "0001-01-01"}, "date"),
        ({"dishes": ["salad"]}, "dishes"),
        ({"extras": [{"extra_id": MISSING, "qty": "two"}]}, "extras[0].qty"),
        ({"extras": [{"extra_id": MISSING, "qty": -1}]}, "extras[0].qty"),
        ({"extras": [{"extra_id": MISSING, "qty": 0}]}, "extras[0].qty"),
        ({"extras": [{"extra_id": MISSING, "qty": 11}]}, "extras[0].qty"),
        ({"extras": [{"extra_id": MISSING, "qty": 10**30}]}, "extras[0].qty"),
        ({"note": "x" * 501}, "note"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_wrong_shapes_and_types_name_the_field(
    it: Setup, changes: dict[str, Any], field: str
) -> None:
    """Wrong shapes and types name the field."""
    refused(post_order(it, it.order(**changes)), 400, "invalid_request", field)


def test_body_that_is_not_an_object(it: Setup) -> None:
    """A JSON body that is not an object is 400 invalid_request."""
    refused(post_order(it, [1, 2, 3]), 400, "invalid_request", "body")


def test_unknown_cafe_is_404(it: Setup) -> None:
    """Unknown cafe is 404."""
    refused(post_order(it, it.order(cafe_id=MISSING)), 404, "not_found")


def test_unknown_combo_is_invalid_combo(it: Setup) -> None:
    """Unknown combo is invalid combo."""
    refused(post_order(it, it.order(combo_id=MISSING)), 400, "invalid_combo")


def test_unknown_dish_is_invalid_combo(it: Setup) -> None:
    """Unknown dish is invalid combo."""
    body = it.order(dishes={"salad": MISSING, "main": it.office.dishes["Котлета"]})
    refused(post_order(it, body), 400, "invalid_combo")


def test_unknown_category_is_invalid_combo(it: Setup) -> None:
    """Unknown category is invalid combo."""
    body = it.order(dishes={"dessert": it.office.dishes["Оливье"], "main": MISSING})
    refused(post_order(it, body), 400, "invalid_combo")


def test_unknown_extra_is_invalid_request(it: Setup) -> None:
    """Unknown extra is invalid request."""
    body = it.order(extras=[{"extra_id": MISSING, "qty": 1}])
    refused(post_order(it, body), 400, "invalid_request")


def test_a_date_already_past_is_ordering_closed(it: Setup) -> None:
    """A date already past is ordering closed."""
    refused(post_order(it, it.order(date="2026-11-25")), 400, "ordering_closed")


def test_ten_megabyte_body_is_413(it: Setup) -> None:
    """Ten megabyte body is 413."""
    body = b'{"note": "' + b"x" * 10_000_000 + b'"}'
    response = it.client.post(
        "/api/orders", content=body, headers={**it.employee, "Content-Type": "application/json"}
    )
    refused(response, 413, "payload_too_large")


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_unknown_order_is_404(it: Setup, method: str) -> None:
    """Unknown order is 404."""
    response = it.client.request(
        method, f"/api/orders/{MISSING}", json=it.order(), headers=it.employee
    )
    refused(response, 404, "not_found")


def test_malformed_order_id_is_404(it: Setup) -> None:
    """Malformed order id is 404."""
    response = it.client.delete("/api/orders/42", headers=it.employee)
    refused(response, 404, "not_found")


@pytest.mark.parametrize("date", ["2026-13-40", "0001-01-01", "9999-12-31"])
def test_bad_query_parameter_names_it(it: Setup, date: str) -> None:
    """Bad query parameter names it."""
    response = it.client.get("/api/cafes", params={"date": date}, headers=it.employee)
    refused(response, 400, "invalid_request", "date")


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("POST", "/api/cafes", {"name": "X", "timezone": "Mars/Base"}, 400, "invalid_request"),
        (
            "POST",
            "/api/cafes",
            {"name": "X", "timezone": "UTC", "currency": "rub"},
            400,
            "invalid_request",
        ),
        ("POST", "/api/cafes", {"name": "", "timezone": "UTC"}, 400, "invalid_request"),
        ("PATCH", f"/api/cafes/{MISSING}", {"active": False}, 404, "not_found"),
        (
            "PUT",
            "/api/cafes/{cafe}/schedule",
            {"weekdays": [7], "cutoff": "11:00"},
            400,
            "invalid_request",
        ),
        (
            "PUT",
            "/api/cafes/{cafe}/schedule",
            {"weekdays": [0], "cutoff": "25:00"},
            400,
            "invalid_request",
        ),
        (
            "PUT",
            "/api/cafes/{cafe}/menu",
            {"dishes": [{"name": "A", "category": "soup", "price": -1}]},
            400,
            "invalid_request",
        ),
        (
            "PUT",
            "/api/cafes/{cafe}/menu",
            {"dishes": [{"name": "A", "category": "soup", "price": 10**20}]},
            400,
            "invalid_request",
        ),
        (
            "PUT",
            "/api/cafes/{cafe}/combos",
            {"combos": [{"name": "C", "price": 1, "categories": []}]},
            400,
            "invalid_request",
        ),
        (
            "PUT",
            "/api/cafes/{cafe}/availability",
            {"item_id": MISSING, "available": False},
            404,
            "not_found",
        ),
        ("PATCH", "/api/employees/999999", {"office": "Moon"}, 404, "not_found"),
        ("PATCH", f"/api/employees/{EMPLOYEE}", {"role": "boss"}, 400, "invalid_request"),
        ("PATCH", f"/api/employees/{EMPLOYEE}", {"monthly_limit": -5}, 400, "invalid_request"),
        ("PATCH", "/api/employees/0", {"office": "Moon"}, 404, "not_found"),
    ],
)
def test_manager_routes_refuse_bad_input(
    it: Setup, method: str, path: str, body: Any, status: int, code: str
) -> None:
    """Manager routes answer bad input with 400 naming the field, never 500."""
    url = path.format(cafe=it.office.cafe_id)
    response = it.client.request(method, url, json=body, headers=it.office.manager)
    refused(response, status, code)


def test_csv_import_that_is_not_utf8_is_invalid_request(it: Setup) -> None:
    """Csv import that is not utf8 is invalid request."""
    response = it.client.post(
        "/api/employees/import",
        content="tg_id,name,office\n5,Ёж,HQ\n".encode("cp1251"),
        headers={**it.office.manager, "Content-Type": "text/csv"},
    )
    refused(response, 400, "invalid_request", "body")
