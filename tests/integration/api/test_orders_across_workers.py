"""Read-your-writes across api workers, each with its own copy of my orders and menus."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from api import menu_cache, orders_cache
from tests.integration.api.conftest import EMPLOYEE, MANAGER, login
from tests.integration.api.office import seed
from tests.integration.api.test_orders import order_body


def test_a_worker_shows_an_order_another_worker_already_showed(
    client: TestClient[Any],
    make_client: Callable[..., TestClient[Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker whose copy predates the caller's order reads again, even after the other
    worker's reads (my orders, the order, /me) saw it applied: the pending write stays."""
    monkeypatch.setattr(orders_cache, "RECHECK_SECONDS", 3600.0)  # copies never expire here
    other = make_client()
    office = seed(client)
    employee = login(client, EMPLOYEE)
    assert other.get("/api/orders/mine", headers=employee).json() == []

    placed = client.post("/api/orders", json=order_body(office), headers=employee)
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]
    assert [o["id"] for o in client.get("/api/orders/mine", headers=employee).json()] == [order_id]
    assert client.get(f"/api/orders/{order_id}", headers=employee).status_code == 200
    assert client.get("/api/me", headers=employee).json()["orders_this_month"] == 1

    assert [o["id"] for o in other.get("/api/orders/mine", headers=employee).json()] == [order_id]


def test_a_worker_shows_a_menu_change_another_worker_already_showed(
    client: TestClient[Any],
    make_client: Callable[..., TestClient[Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same for a manager's menu change: the first worker's read of the changed menu
    does not let the second answer from its older copy."""
    monkeypatch.setattr(menu_cache, "RECHECK_SECONDS", 3600.0)
    other = make_client()
    office = seed(client)
    manager = login(client, MANAGER)
    path = f"/api/cafes/{office.cafe_id}/menu"
    dish = other.get(path, headers=manager).json()["dishes"][0]
    assert dish["available"] is True

    change = {"item_id": dish["id"], "available": False}
    changed = client.put(f"/api/cafes/{office.cafe_id}/availability", json=change, headers=manager)
    assert changed.status_code == 200, changed.text
    assert client.get(path, headers=manager).json()["dishes"][0]["available"] is False

    assert other.get(path, headers=manager).json()["dishes"][0]["available"] is False
