"""Bearer tokens that were forged, expired or outlived the directory entry they were issued for."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import jwt
import pytest
from litestar.testing import TestClient

from api.auth import ALGORITHM
from tests.integration.api.conftest import AUDITOR, EMPLOYEE, MANAGER, NOW, OTHER, Clock, login
from tests.integration.api.office import Office, seed

SECRET = "integration-test-secret-of-32-bytes!"  # the api's JWT_SECRET in these tests
SECOND_MANAGER = 1002
# One route per kind of access: an employee's own, any role's, staff-only, manager-only.
ROUTES = (
    ("GET", "/api/me"),
    ("GET", "/api/orders/mine"),
    ("GET", "/api/cafes"),
    ("GET", "/api/orders"),
    ("GET", "/api/employees"),
)


def claims(tg_id: int, role: str, *, at: dt.datetime = NOW) -> dict[str, Any]:
    return {
        "sub": str(tg_id),
        "role": role,
        "name": "x",
        "office": "HQ",
        "iat": int(at.timestamp()),
        "exp": int((at + dt.timedelta(hours=1)).timestamp()),
    }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def with_payload(token: str, payload: dict[str, Any]) -> str:
    """The same header and signature around a payload edited by hand."""
    header, _, signature = token.split(".")
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


@pytest.fixture
def office(write_client: TestClient[Any]) -> Office:
    office = seed(write_client, read_side=False)
    roster = f"tg_id,name,office,role\n{SECOND_MANAGER},Михаил,HQ,manager\n"
    imported = write_client.post(
        "/api/employees/import",
        content=roster.encode(),
        headers={**office.manager, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200, imported.text
    return office


def statuses(client: TestClient[Any], headers: dict[str, str]) -> dict[str, int]:
    return {
        f"{method} {path}": client.request(method, path, headers=headers).status_code
        for method, path in ROUTES
    }


FORGERIES = {
    "alg none": jwt.encode(claims(MANAGER, "manager"), "", algorithm="none"),
    "another secret": jwt.encode(claims(MANAGER, "manager"), "x" * 32, algorithm=ALGORITHM),
    "signature stripped": jwt.encode(claims(MANAGER, "manager"), SECRET).rpartition(".")[0] + ".",
    "no exp": jwt.encode({"sub": str(MANAGER), "role": "manager", "iat": 1}, SECRET),
    "unknown role": jwt.encode(claims(EMPLOYEE, "root"), SECRET, algorithm=ALGORITHM),
}


@pytest.mark.parametrize("token", FORGERIES.values(), ids=FORGERIES.keys())
def test_forged_tokens_are_401_everywhere(write_client: TestClient[Any], token: str) -> None:
    """No route lets a forged token through."""
    assert set(statuses(write_client, bearer(token)).values()) == {401}


def test_a_role_claim_edited_by_hand_breaks_the_signature(
    write_client: TestClient[Any], office: Office
) -> None:
    """An employee who rewrites their token's role to manager gets 401, not manager routes."""
    token = login(write_client, EMPLOYEE)["Authorization"].removeprefix("Bearer ")
    payload = jwt.decode(token, options={"verify_signature": False})
    edited = with_payload(token, {**payload, "role": "manager", "sub": str(MANAGER)})
    assert set(statuses(write_client, bearer(edited)).values()) == {401}


def test_an_expired_token_is_401(write_client: TestClient[Any], clock: Clock) -> None:
    headers = login(write_client, MANAGER)
    clock.instant = NOW + dt.timedelta(hours=12, seconds=1)
    answer = write_client.get("/api/me", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "tg_id", [EMPLOYEE, AUDITOR, SECOND_MANAGER], ids=["employee", "auditor", "manager"]
)
def test_a_deactivated_persons_valid_token_is_refused_at_once(
    write_client: TestClient[Any], office: Office, tg_id: int
) -> None:
    """Deactivation takes effect on the next request, on every route, whatever the role."""
    headers = login(write_client, tg_id)
    before = statuses(write_client, headers)
    assert before["GET /api/me"] == 200
    off = write_client.patch(
        f"/api/employees/{tg_id}", json={"active": False}, headers=office.manager
    )
    assert off.status_code == 200, off.text
    assert set(statuses(write_client, headers).values()) == {403}
    placed = write_client.post("/api/orders", json={}, headers=headers)
    assert placed.status_code == 403


def test_a_manager_demoted_mid_session_is_an_employee_on_the_next_request(
    write_client: TestClient[Any], office: Office
) -> None:
    """The role comes from the directory: the token's manager claim no longer counts."""
    headers = login(write_client, SECOND_MANAGER)
    assert statuses(write_client, headers)["GET /api/employees"] == 200
    demoted = write_client.patch(
        f"/api/employees/{SECOND_MANAGER}", json={"role": "employee"}, headers=office.manager
    )
    assert demoted.status_code == 200, demoted.text
    now = statuses(write_client, headers)
    assert now["GET /api/employees"] == 403
    assert now["GET /api/orders"] == 403
    assert now["GET /api/orders/mine"] == 200
    assert write_client.get("/api/me", headers=headers).json()["role"] == "employee"
    refused = write_client.patch(f"/api/employees/{OTHER}", json={"active": False}, headers=headers)
    assert refused.status_code == 403


def test_an_employee_promoted_mid_session_gains_the_role_without_a_new_token(
    write_client: TestClient[Any], office: Office
) -> None:
    """The same rule both ways: the directory's role, not the token's."""
    headers = login(write_client, OTHER)
    assert statuses(write_client, headers)["GET /api/orders"] == 403
    promoted = write_client.patch(
        f"/api/employees/{OTHER}", json={"role": "auditor"}, headers=office.manager
    )
    assert promoted.status_code == 200, promoted.text
    assert statuses(write_client, headers)["GET /api/orders"] == 200
