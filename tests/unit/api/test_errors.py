"""One table maps every error to a status and the contract's body; bad input never gives 500."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec
import psycopg
import pytest
from litestar import Litestar, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.testing import TestClient

from api import errors
from api.metrics import Metrics, Observe
from domain import errors as domain_errors

BUSINESS = [
    domain_errors.OrderingClosed,
    domain_errors.InvalidCombo,
    domain_errors.DishUnavailable,
    domain_errors.LimitExceeded,
    domain_errors.CafeInactive,
    domain_errors.OrderExists,
]


class Line(msgspec.Struct, forbid_unknown_fields=True):
    extra_id: uuid.UUID
    qty: Annotated[int, msgspec.Meta(ge=1, le=10)]


class Order(msgspec.Struct, forbid_unknown_fields=True):
    cafe_id: uuid.UUID
    date: dt.date
    extras: list[Line] = msgspec.field(default_factory=list)


RAISED: dict[str, Exception] = {}


@get("/raise/{name:str}")
async def raise_it(name: FromPath[str]) -> None:
    raise RAISED[name]


@post("/orders")
async def take(data: JSONBody[Order]) -> dict[str, bool]:
    return {"ok": True}


@get("/by-date")
async def by_date(date: FromQuery[dt.date]) -> dict[str, str]:
    return {"date": date.isoformat()}


@pytest.fixture
def client() -> Any:
    app = Litestar(
        [raise_it, take, by_date],
        exception_handlers={Exception: errors.handle_exception},
        middleware=[Observe(Metrics())],
        request_max_body_size=1_000_000,
        logging_config=None,
    )
    with TestClient(app) as c:
        yield c


def answer(client: Any, error: Exception) -> Any:
    RAISED["e"] = error
    return client.get("/raise/e")


def test_every_domain_error_code_is_in_the_table() -> None:
    """A new domain error without a status would silently become 400; the table names all."""
    codes = {cls.code for cls in domain_errors.DomainError.__subclasses__()}
    assert codes <= set(errors.STATUS_BY_CODE)


@pytest.mark.parametrize("cls", BUSINESS)
def test_business_rules_answer_400_with_their_code(
    client: Any, cls: type[domain_errors.DomainError]
) -> None:
    """Business rules answer 400 with their code."""
    response = answer(client, cls("broken rule", date="2026-11-26"))
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": cls.code, "message": "broken rule", "details": {"date": "2026-11-26"}}
    }


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (domain_errors.InvalidRequest("bad", field="note"), 400, "invalid_request"),
        (domain_errors.NotFound("no such cafe"), 404, "not_found"),
        (domain_errors.Forbidden("not yours"), 403, "forbidden"),
        (domain_errors.Conflict("try again"), 409, "conflict"),
        (errors.Unauthenticated("no token"), 401, "unauthenticated"),
        (domain_errors.Forbidden("managers only"), 403, "forbidden"),
        (domain_errors.NotFound("gone"), 404, "not_found"),
        (domain_errors.InvalidRequest("not UTF-8", field="body"), 400, "invalid_request"),
    ],
)
def test_domain_and_app_errors_map_by_code(
    client: Any, error: Exception, status: int, code: str
) -> None:
    """Domain and api errors map to their status and code through the one table."""
    response = answer(client, error)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_unauthenticated_asks_for_a_bearer_token(client: Any) -> None:
    """Unauthenticated asks for a bearer token."""
    response = answer(client, errors.Unauthenticated("no token"))
    assert response.headers["www-authenticate"] == "Bearer"


def test_unexpected_exception_is_500_internal_without_its_text(client: Any) -> None:
    """A bug answers 500 ``internal`` with the request id, never the exception's text."""
    response = answer(client, RuntimeError("password=hunter2"))
    assert response.status_code == 500
    body = response.json()["error"]
    assert body["code"] == "internal"
    assert "hunter2" not in response.text
    assert body["details"]["request_id"] == response.headers["x-request-id"]


def test_database_outage_is_503_unavailable(client: Any) -> None:
    """PostgreSQL down is not a bug in the request: 503, so clients and balancers retry."""
    response = answer(client, psycopg.OperationalError("connection refused"))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert "refused" not in response.text


def test_malformed_json_is_invalid_request_on_the_body(client: Any) -> None:
    """Malformed json is invalid request on the body."""
    response = client.post("/orders", content=b"{", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"
    assert response.json()["error"]["details"]["field"] == "body"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cafe_id": 1, "date": "2026-11-26"}, "cafe_id"),
        ({"cafe_id": str(uuid.uuid4()), "date": "tomorrow"}, "date"),
        ({"cafe_id": str(uuid.uuid4()), "date": "2026-11-26", "zzz": 1}, "zzz"),
        (
            {
                "cafe_id": str(uuid.uuid4()),
                "date": "2026-11-26",
                "extras": [{"extra_id": str(uuid.uuid4()), "qty": -1}],
            },
            "extras[0].qty",
        ),
        (
            {
                "cafe_id": str(uuid.uuid4()),
                "date": "2026-11-26",
                "extras": [{"extra_id": str(uuid.uuid4()), "qty": 10**30}],
            },
            "extras[0].qty",
        ),
        ([], "body"),
    ],
)
def test_wrong_types_name_the_offending_field(client: Any, body: Any, field: str) -> None:
    """Wrong types name the offending field."""
    response = client.post("/orders", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["details"]["field"] == field


def test_missing_body_is_invalid_request(client: Any) -> None:
    """Missing body is invalid request."""
    response = client.post("/orders")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_bad_query_parameter_names_it(client: Any) -> None:
    """Bad query parameter names it."""
    response = client.get("/by-date", params={"date": "2026-13-01"})
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "date"


def test_unknown_route_is_404_in_the_same_body(client: Any) -> None:
    """Unknown route is 404 in the same body."""
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_wrong_method_is_405_in_the_same_body(client: Any) -> None:
    """Wrong method is 405 in the same body."""
    response = client.delete("/orders")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_body_over_one_megabyte_is_413(client: Any) -> None:
    """Body over one megabyte is 413."""
    response = client.post(
        "/orders", content=b"x" * 10_000_000, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
