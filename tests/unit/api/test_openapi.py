"""The OpenAPI document: error bodies on every route, valid examples, and a reviewed snapshot.

The snapshot (openapi.json beside this file) changes only on purpose: after a change to
the API, look at the difference and refresh it with ``UPDATE_SNAPSHOTS=1 pytest
tests/unit/api/test_openapi.py``.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any, cast

import msgspec
import pytest
from litestar.testing import TestClient

from api import examples
from api.app import create_app
from api.errors import STATUS_BY_CODE, ErrorBody
from api.routes.auth import DevLogin, LoginOut, MeOut, TelegramLogin
from api.routes.cafe_admin import CombosIn, MenuIn, NewCafe, ScheduleIn
from api.routes.cafe_requests import CafeRequestOut
from api.routes.employees import EmployeeChange, ImportOut
from api.schemas import CafeOut, EmployeeOut, MenuOut, OrderIn, OrderOut
from commands.settings import AuthSettings, Settings
from projections.audit.views import AuditEvent, VerifyReport

SNAPSHOT = Path(__file__).with_name("openapi.json")
PUBLIC = {"/api/auth/telegram", "/api/auth/dev", "/api/auth/config"}
BODY_TYPES: dict[str, type[Any]] = {
    "TelegramLogin": TelegramLogin,
    "DevLogin": DevLogin,
    "LoginOut": LoginOut,
    "MeOut": MeOut,
    "CafeOut": CafeOut,
    "MenuOut": MenuOut,
    "OrderIn": OrderIn,
    "OrderOut": OrderOut,
    "NewCafe": NewCafe,
    "MenuIn": MenuIn,
    "CombosIn": CombosIn,
    "ScheduleIn": ScheduleIn,
    "ImportOut": ImportOut,
    "EmployeeOut": EmployeeOut,
    "EmployeeChange": EmployeeChange,
    "CafeRequestOut": CafeRequestOut,
    "AuditEvent": AuditEvent,
    "VerifyReport": VerifyReport,
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    nothing = cast(Any, None)
    app = create_app(Settings(auth=AuthSettings(dev_login=True)), nothing, nothing, nothing)
    with TestClient(app) as client:
        body: dict[str, Any] = client.get("/schema/openapi.json").json()
    return body


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_the_document_matches_the_reviewed_snapshot(schema: dict[str, Any]) -> None:
    """The OpenAPI document equals the reviewed snapshot."""
    current = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(current, encoding="utf-8")
    reviewed = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    if current != reviewed:
        diff = "".join(
            list(
                difflib.unified_diff(
                    reviewed.splitlines(keepends=True),
                    current.splitlines(keepends=True),
                    "openapi.json (reviewed)",
                    "openapi.json (the app now)",
                )
            )[:80]
        )
        pytest.fail(
            "The OpenAPI document changed. If the change is intended, refresh the snapshot with\n"
            "    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/unit/api/test_openapi.py\n"
            f"and commit tests/unit/api/{SNAPSHOT.name}.\n\n{diff}"
        )


def resolve(schema: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """A response, following a reference to a shared one."""
    if "$ref" not in response:
        return response
    name = response["$ref"].removeprefix("#/components/responses/")
    shared: dict[str, Any] = schema["components"]["responses"][name]
    return shared


def test_every_api_route_documents_its_errors_with_the_error_body(schema: dict[str, Any]) -> None:
    """Every api route documents its errors with the error body."""
    for method, path, operation in operations(schema):
        if not path.startswith("/api/"):
            continue
        statuses = set(operation["responses"])
        assert "429" in statuses, (method, path)
        assert path in PUBLIC or "401" in statuses, (method, path)
        has_input = operation.get("parameters") or operation.get("requestBody")
        assert not has_input or "400" in statuses, (method, path)
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                content = resolve(schema, response)["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}, status
                example = next(iter(content["examples"].values()))["value"]
                assert STATUS_BY_CODE[example["error"]["code"]] == int(status)


def test_rate_limited_answers_document_retry_after(schema: dict[str, Any]) -> None:
    """Rate limited answers document retry after."""
    for method, path, operation in operations(schema):
        limited = operation["responses"].get("429")
        if limited:
            assert "Retry-After" in resolve(schema, limited)["headers"], (method, path)


@pytest.mark.parametrize("name", sorted(examples.BODIES))
def test_each_example_is_a_valid_body_of_its_type(schema: dict[str, Any], name: str) -> None:
    """Each example is a valid body of its type."""
    example = examples.BODIES[name]
    msgspec.json.decode(msgspec.json.encode(example), type=BODY_TYPES[name])
    assert schema["components"]["schemas"][name]["examples"] == [example]


@pytest.mark.parametrize(
    "body",
    [
        examples.INVALID_REQUEST,
        examples.UNAUTHENTICATED,
        examples.FORBIDDEN,
        examples.NOT_FOUND,
        examples.CONFLICT,
        examples.PAYLOAD_TOO_LARGE,
        examples.RATE_LIMITED,
        examples.UNAVAILABLE,
    ],
)
def test_each_error_example_is_an_error_body(body: dict[str, Any]) -> None:
    """Each error example is an error body."""
    decoded = msgspec.json.decode(msgspec.json.encode(body), type=ErrorBody)
    assert decoded.error.code in STATUS_BY_CODE


def test_request_bodies_refuse_unknown_fields(schema: dict[str, Any]) -> None:
    """Request bodies refuse unknown fields."""
    components = schema["components"]["schemas"]
    for name in ("OrderIn", "NewCafe", "DishInput", "TelegramLogin", "EmployeeChange"):
        assert components[name]["additionalProperties"] is False, name


def test_csv_bodies_are_documented(schema: dict[str, Any]) -> None:
    """Csv bodies are documented."""
    imported = schema["paths"]["/api/employees/import"]["post"]["requestBody"]
    assert "text/csv" in imported["content"]
    report = schema["paths"]["/api/reports/cafe-day"]["get"]["responses"]["200"]["content"]
    assert set(report) == {"application/json", "text/csv; charset=utf-8"}
    assert report["application/json"]["schema"] == {"$ref": "#/components/schemas/CafeDaySheet"}
    exported = schema["paths"]["/api/audit/log"]["get"]["responses"]["200"]["content"]
    assert set(exported) == {"application/x-ndjson"}
