"""The app serves every route of the contract that the API owns so far."""

from __future__ import annotations

from typing import Any, cast

import pytest
from litestar.testing import TestClient

from api.app import create_app
from commands.settings import AuthSettings, Settings

CONTRACT = [
    ("post", "/api/auth/telegram"),
    ("post", "/api/auth/dev"),
    ("get", "/api/auth/config"),
    ("get", "/api/me"),
    ("get", "/api/cafes"),
    ("get", "/api/cafes/{cafe_id}/menu"),
    ("post", "/api/orders"),
    ("put", "/api/orders/{order_id}"),
    ("delete", "/api/orders/{order_id}"),
    ("get", "/api/orders/mine"),
    ("get", "/api/orders"),
    ("post", "/api/employees/import"),
    ("get", "/api/employees"),
    ("patch", "/api/employees/{tg_id}"),
    ("post", "/api/cafes"),
    ("patch", "/api/cafes/{cafe_id}"),
    ("put", "/api/cafes/{cafe_id}/menu"),
    ("put", "/api/cafes/{cafe_id}/combos"),
    ("put", "/api/cafes/{cafe_id}/schedule"),
    ("post", "/api/cafes/{cafe_id}/close"),
    ("get", "/health"),
    ("get", "/health/{name}"),
    ("get", "/metrics"),
]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    nothing = cast(Any, None)
    app = create_app(Settings(auth=AuthSettings(dev_login=True)), nothing, nothing, nothing)
    with TestClient(app) as client:
        body: dict[str, Any] = client.get("/schema/openapi.json").json()
    return body


@pytest.mark.parametrize(("method", "path"), CONTRACT)
def test_contract_route_is_in_the_openapi_schema(
    schema: dict[str, Any], method: str, path: str
) -> None:
    """Every route of the contract is in the OpenAPI document."""
    assert method in schema["paths"].get(path, {}), f"{method.upper()} {path} is missing"


def test_bodies_are_described_with_snake_case_fields(schema: dict[str, Any]) -> None:
    """Request and response bodies use snake_case field names."""
    order = schema["components"]["schemas"]["OrderOut"]["properties"]
    assert {"cafe_id", "combo_name", "editable_until", "placed_at"} <= set(order)
