"""Tokens that are not bearer tokens, and roles rechecked on every request.

Which role may call which route is in test_role_matrix.py."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.integration.api.conftest import AUDITOR, EMPLOYEE, MANAGER, login
from tests.integration.api.office import seed


@pytest.fixture
def office_client(write_client: TestClient[Any]) -> TestClient[Any]:
    seed(write_client, read_side=False)
    return write_client


@pytest.mark.parametrize(
    "authorization", ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not.a.jwt", "token"]
)
def test_malformed_authorization_is_401(write_client: TestClient[Any], authorization: str) -> None:
    """Malformed authorization is 401."""
    response = write_client.get("/api/me", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


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
