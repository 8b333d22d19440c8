"""Placing, changing and cancelling orders over HTTP, with read-your-writes and the deadline."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.integration.api.conftest import AUDITOR, EMPLOYEE, OTHER, TODAY, login
from tests.integration.api.office import Office, seed


def order_body(office: Office, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "cafe_id": office.cafe_id,
        "date": TODAY.isoformat(),
        "combo_id": office.full,
        "dishes": {
            "salad": office.dishes["Оливье"],
            "soup": office.dishes["Борщ"],
            "main": office.dishes["Пельмени"],
        },
        "extras": [{"extra_id": office.extras["Морс"], "qty": 2}],
        "note": "без лука",
    }
    return {**body, **changes}


def test_cafes_list_shows_todays_deadline_and_open_ordering(client: TestClient[Any]) -> None:
    """Any role sees the cafes with the cutoff instant in the cafe's timezone."""
    office = seed(client)
    employee = login(client, EMPLOYEE)
    cafes = client.get("/api/cafes", headers=employee)
    assert cafes.status_code == 200
    [cafe] = cafes.json()
    assert cafe["id"] == office.cafe_id
    assert cafe["deadline"] == "2026-11-26T11:00:00+03:00"
    assert cafe["ordering_open"] is True
    saturday = client.get("/api/cafes", params={"date": "2026-11-28"}, headers=employee).json()
    assert saturday[0]["deadline"] is None
    assert saturday[0]["ordering_open"] is False
    menu = client.get(f"/api/cafes/{office.cafe_id}/menu", headers=employee).json()
    assert {d["name"] for d in menu["dishes"]} >= {"Оливье", "Борщ", "Пельмени"}
    assert [c["categories"] for c in menu["combos"]] == [
        ["salad", "soup", "main"],
        ["salad", "main"],
    ]
    assert menu["cafe"]["ordering_open"] is True


def test_order_lifecycle_with_read_your_writes(client: TestClient[Any]) -> None:
    """Place (201) → mine shows it at once → change → cancel → place anew."""
    office = seed(client)
    employee = login(client, EMPLOYEE)

    placed = client.post("/api/orders", json=order_body(office), headers=employee)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "placed"
    assert order["total"] == 45000 + 2 * 5000
    assert order["combo_name"] == "Полный"
    assert order["cafe_name"] == "Пельменная"
    assert order["editable_until"] == "2026-11-26T08:00:00Z"
    assert [d["category"] for d in order["dishes"]] == ["salad", "soup", "main"]

    mine = client.get("/api/orders/mine", headers=employee)
    assert mine.status_code == 200
    assert [o["id"] for o in mine.json()] == [order["id"]]
    assert mine.json()[0]["total"] == 55000

    light = order_body(
        office,
        combo_id=office.light,
        dishes={"salad": office.dishes["Цезарь"], "main": office.dishes["Котлета"]},
        extras=[],
        note="",
    )
    changed = client.put(f"/api/orders/{order['id']}", json=light, headers=employee)
    assert changed.status_code == 200, changed.text
    assert changed.json()["combo_name"] == "Лёгкий"
    assert changed.json()["total"] == 35000
    assert client.get("/api/orders/mine", headers=employee).json()[0]["total"] == 35000

    cancelled = client.delete(f"/api/orders/{order['id']}", headers=employee)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert client.get("/api/orders/mine", headers=employee).json()[0]["status"] == "cancelled"

    again = client.post("/api/orders", json=order_body(office), headers=employee)
    assert again.status_code == 201, again.text
    assert again.json()["id"] == order["id"]
    assert client.get("/api/orders/mine", headers=employee).json()[0]["status"] == "placed"

    me = client.get("/api/me", headers=employee).json()
    assert me["spent_this_month"] == 55000
    assert me["orders_this_month"] == 1


def test_second_order_for_the_same_date_is_order_exists(client: TestClient[Any]) -> None:
    """Second order for the same date is order exists."""
    office = seed(client)
    employee = login(client, EMPLOYEE)
    assert client.post("/api/orders", json=order_body(office), headers=employee).status_code == 201
    second = client.post("/api/orders", json=order_body(office), headers=employee)
    assert second.status_code == 400
    assert second.json()["error"]["code"] == "order_exists"


def test_after_closing_nothing_can_be_placed_changed_or_cancelled(
    client: TestClient[Any],
) -> None:
    """A manager's early close answers ordering_closed to place, change and cancel."""
    office = seed(client)
    employee, other = login(client, EMPLOYEE), login(client, OTHER)
    order = client.post("/api/orders", json=order_body(office), headers=employee).json()

    closed = client.post(
        f"/api/cafes/{office.cafe_id}/close",
        json={"date": TODAY.isoformat()},
        headers=office.manager,
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["ordering_open"] is False

    attempts = [
        client.post("/api/orders", json=order_body(office), headers=other),
        client.put(f"/api/orders/{order['id']}", json=order_body(office), headers=employee),
        client.delete(f"/api/orders/{order['id']}", headers=employee),
    ]
    for attempt in attempts:
        assert attempt.status_code == 400, attempt.text
        assert attempt.json()["error"]["code"] == "ordering_closed"
    listed = client.get("/api/cafes", headers=office.manager).json()
    assert listed[0]["ordering_open"] is False
    assert client.get("/api/orders/mine", headers=employee).json()[0]["status"] == "placed"


def test_managers_and_auditors_see_the_days_orders(client: TestClient[Any]) -> None:
    """Managers and auditors see the days orders."""
    office = seed(client)
    employee = login(client, EMPLOYEE)
    order = client.post("/api/orders", json=order_body(office), headers=employee).json()
    client.get("/api/orders/mine", headers=employee)  # waits until the read model has it
    for headers in (office.manager, login(client, AUDITOR)):
        day = client.get(
            "/api/orders",
            params={"date": TODAY.isoformat(), "cafe_id": office.cafe_id},
            headers=headers,
        )
        assert day.status_code == 200, day.text
        assert [o["id"] for o in day.json()] == [order["id"]]
        one = client.get(f"/api/orders/{order['id']}", headers=headers)
        assert one.status_code == 200
    assert client.get("/api/orders", headers=employee).status_code == 403


def test_employees_cannot_touch_each_others_orders(client: TestClient[Any]) -> None:
    """Employees cannot touch each others orders."""
    office = seed(client)
    employee, other = login(client, EMPLOYEE), login(client, OTHER)
    order = client.post("/api/orders", json=order_body(office), headers=employee).json()
    client.get("/api/orders/mine", headers=employee)
    assert client.get(f"/api/orders/{order['id']}", headers=other).status_code == 404
    stolen = client.delete(f"/api/orders/{order['id']}", headers=other)
    assert stolen.status_code == 403
    assert stolen.json()["error"]["code"] == "forbidden"
    assert client.get("/api/orders/mine", headers=other).json() == []
