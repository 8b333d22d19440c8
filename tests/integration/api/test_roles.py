"""Every route checks the caller's token and role."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.integration.api.conftest import AUDITOR, EMPLOYEE, MANAGER, login
from tests.integration.api.office import seed

CAFE = str(uuid.uuid4())
ORDER = str(uuid.uuid4())

AUTHENTICATED = [
    ("GET", "/api/me"),
    ("GET", "/api/cafes"),
    ("GET", f"/api/cafes/{CAFE}/menu"),
    ("POST", "/api/orders"),
    ("PUT", f"/api/orders/{ORDER}"),
    ("DELETE", f"/api/orders/{ORDER}"),
    ("GET", "/api/orders/mine"),
    ("GET", f"/api/orders/{ORDER}"),
    ("GET", "/api/orders"),
    ("GET", "/api/employees"),
]

MANAGER_ONLY = [
    ("POST", "/api/cafes", {"name": "X", "timezone": "Europe/Moscow"}),
    ("PATCH", f"/api/cafes/{CAFE}", {"active": False}),
    ("PUT", f"/api/cafes/{CAFE}/menu", {"dishes": [], "extras": []}),
    ("PUT", f"/api/cafes/{CAFE}/combos", {"combos": []}),
    ("PUT", f"/api/cafes/{CAFE}/availability", {"item_id": CAFE, "available": False}),
    ("PUT", f"/api/cafes/{CAFE}/schedule", {"weekdays": [0], "cutoff": "11:00"}),
    ("POST", f"/api/cafes/{CAFE}/close", {"date": "2026-11-26"}),
    ("POST", "/api/employees/import", None),
    ("GET", "/api/employees", None),
    ("PATCH", f"/api/employees/{EMPLOYEE}", {"office": "Moon"}),
]


@pytest.fixture
def office_client(write_client: TestClient[Any]) -> TestClient[Any]:
    seed(write_client, read_side=False)
    return write_client


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED)
def test_no_token_is_401(write_client: TestClient[Any], method: str, path: str) -> None:
    response = write_client.request(method, path, json={})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "authorization", ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not.a.jwt", "token"]
)
def test_malformed_authorization_is_401(write_client: TestClient[Any], authorization: str) -> None:
    response = write_client.get("/api/me", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(("method", "path", "body"), MANAGER_ONLY)
@pytest.mark.parametrize("tg_id", [EMPLOYEE, AUDITOR])
def test_manager_routes_refuse_employees_and_auditors(
    office_client: TestClient[Any], tg_id: int, method: str, path: str, body: Any
) -> None:
    headers = login(office_client, tg_id)
    response = office_client.request(method, path, json=body, headers=headers)
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "forbidden"


def test_day_orders_are_for_managers_and_auditors(office_client: TestClient[Any]) -> None:
    for tg_id, status in ((MANAGER, 200), (AUDITOR, 200), (EMPLOYEE, 403)):
        response = office_client.get("/api/orders", headers=login(office_client, tg_id))
        assert response.status_code == status, (tg_id, response.text)


@pytest.mark.parametrize("path", ["/api/auth/config", "/schema/openapi.json", "/"])
def test_public_routes_need_no_token(write_client: TestClient[Any], path: str) -> None:
    assert write_client.get(path).status_code == 200


def test_a_demoted_manager_loses_manager_routes_at_once(office_client: TestClient[Any]) -> None:
    """Manager routes check the directory, not only the role frozen in the token."""
    manager = login(office_client, MANAGER)
    promoted = office_client.patch(
        f"/api/employees/{AUDITOR}", json={"role": "manager"}, headers=manager
    )
    assert promoted.status_code == 200, promoted.text
    second = login(office_client, AUDITOR)
    assert office_client.get("/api/orders", headers=second).status_code == 200
    demoted = office_client.patch(
        f"/api/employees/{AUDITOR}", json={"role": "employee"}, headers=manager
    )
    assert demoted.status_code == 200
    refused = office_client.patch(
        f"/api/employees/{EMPLOYEE}", json={"office": "Moon"}, headers=second
    )
    assert refused.status_code == 403
