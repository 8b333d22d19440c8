"""Every route of the app × {no token, employee, auditor, manager}: who gets in, who is refused.

The routes come from the app itself, so a route added without a row here fails
``test_every_route_has_a_row``. A role a route admits must get neither 401 nor 403 (nor any
5xx); a role it does not admit gets 403; no token gets 401 except on public routes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httpx
import pytest

from api.app import create_app
from commands.settings import AuthSettings, Settings
from domain.ids import order_id
from tests.integration.api.conftest import AUDITOR, EMPLOYEE, MANAGER, TODAY, login, wait_for
from tests.integration.api.office import Office, seed
from tests.integration.api.running import Running, running_api
from tests.integration.api.test_auth import init_data

PUBLIC = "public"  # no token needed; everyone gets in
ANY_ROLE = "any role"
STAFF = "manager or auditor"
MANAGERS = "manager"
EMPLOYEES = "employee"

ADMITS: dict[str, set[int | None]] = {
    PUBLIC: {None, EMPLOYEE, AUDITOR, MANAGER},
    ANY_ROLE: {EMPLOYEE, AUDITOR, MANAGER},
    STAFF: {AUDITOR, MANAGER},
    MANAGERS: {MANAGER},
    EMPLOYEES: {EMPLOYEE},
}
CALLERS: list[int | None] = [None, EMPLOYEE, AUDITOR, MANAGER]
MANAGER_ROW = "1001,Мария,HQ,manager\n"


@dataclass(frozen=True)
class World:
    """The seeded office the calls refer to."""

    office: Office
    spare_cafe: str  # managers change this one, so the office's own cafe stays intact
    spare_dish: str
    link_request: str


@dataclass(frozen=True)
class Call:
    path: str
    params: dict[str, str] = field(default_factory=dict)
    json: Any = None
    csv: str | None = None


Build = Callable[[World, int | None], Call]


def fixed(path: str, **kwargs: Any) -> Build:
    return lambda _w, _r: Call(path, **kwargs)


def own_order(caller: int | None) -> str:
    """The caller's own order today (employees may touch only their own)."""
    return str(order_id(caller or EMPLOYEE, TODAY))


def order_body(world: World) -> dict[str, Any]:
    office = world.office
    return {
        "cafe_id": office.cafe_id,
        "date": TODAY.isoformat(),
        "combo_id": office.light,
        "dishes": {"salad": office.dishes["Оливье"], "main": office.dishes["Котлета"]},
    }


def day(cafe: Callable[[World], str]) -> Build:
    return lambda w, _r: Call(
        "/api/reports/cafe-day", params={"cafe_id": cafe(w), "date": TODAY.isoformat()}
    )


MATRIX: dict[tuple[str, str], tuple[str, Build]] = {
    ("POST", "/api/auth/telegram"): (
        PUBLIC,
        lambda _w, r: Call("/api/auth/telegram", json={"init_data": init_data(r or EMPLOYEE)}),
    ),
    ("POST", "/api/auth/dev"): (PUBLIC, fixed("/api/auth/dev", json={"tg_id": EMPLOYEE})),
    ("GET", "/api/auth/config"): (PUBLIC, fixed("/api/auth/config")),
    ("GET", "/api/me"): (ANY_ROLE, fixed("/api/me")),
    ("GET", "/api/me/stats"): (ANY_ROLE, fixed("/api/me/stats")),
    ("GET", "/api/me/recommendations"): (EMPLOYEES, fixed("/api/me/recommendations")),
    ("GET", "/api/cafes"): (ANY_ROLE, fixed("/api/cafes")),
    ("GET", "/api/cafes/{cafe_id:uuid}/menu"): (
        ANY_ROLE,
        lambda w, _r: Call(f"/api/cafes/{w.office.cafe_id}/menu"),
    ),
    ("POST", "/api/orders"): (ANY_ROLE, lambda w, _r: Call("/api/orders", json=order_body(w))),
    ("PUT", "/api/orders/{order_id:uuid}"): (
        ANY_ROLE,
        lambda w, r: Call(f"/api/orders/{own_order(r)}", json=order_body(w)),
    ),
    ("DELETE", "/api/orders/{order_id:uuid}"): (
        ANY_ROLE,
        lambda w, r: Call(f"/api/orders/{own_order(r)}"),
    ),
    ("GET", "/api/orders/mine"): (ANY_ROLE, fixed("/api/orders/mine")),
    ("GET", "/api/orders/{order_id:uuid}"): (
        ANY_ROLE,
        lambda w, r: Call(f"/api/orders/{own_order(r)}"),
    ),
    ("GET", "/api/orders"): (STAFF, fixed("/api/orders")),
    ("GET", "/api/reports/cafe-day"): (STAFF, day(lambda w: w.office.cafe_id)),
    ("GET", "/api/reports/period"): (
        STAFF,
        fixed("/api/reports/period", params={"from": "2026-11-01", "to": "2026-11-30"}),
    ),
    ("POST", "/api/employees/import"): (
        MANAGERS,
        fixed("/api/employees/import", csv=f"tg_id,name,office\n{MANAGER_ROW}"),
    ),
    ("GET", "/api/employees"): (MANAGERS, fixed("/api/employees")),
    ("PATCH", "/api/employees/{tg_id:int}"): (
        MANAGERS,
        fixed(f"/api/employees/{EMPLOYEE}", json={"office": "HQ"}),
    ),
    ("POST", "/api/cafes"): (
        MANAGERS,
        fixed("/api/cafes", json={"name": "Новое", "timezone": "Europe/Moscow"}),
    ),
    ("PATCH", "/api/cafes/{cafe_id:uuid}"): (
        MANAGERS,
        lambda w, _r: Call(f"/api/cafes/{w.spare_cafe}", json={"name": "Запасное"}),
    ),
    ("PUT", "/api/cafes/{cafe_id:uuid}/menu"): (
        MANAGERS,
        lambda w, _r: Call(
            f"/api/cafes/{w.spare_cafe}/menu",
            json={
                "dishes": [{"id": w.spare_dish, "name": "Суп", "category": "soup", "price": 100}]
            },
        ),
    ),
    ("PUT", "/api/cafes/{cafe_id:uuid}/combos"): (
        MANAGERS,
        lambda w, _r: Call(f"/api/cafes/{w.spare_cafe}/combos", json={"combos": []}),
    ),
    ("PUT", "/api/cafes/{cafe_id:uuid}/availability"): (
        MANAGERS,
        lambda w, _r: Call(
            f"/api/cafes/{w.spare_cafe}/availability",
            json={"item_id": w.spare_dish, "available": True},
        ),
    ),
    ("PUT", "/api/cafes/{cafe_id:uuid}/schedule"): (
        MANAGERS,
        lambda w, _r: Call(
            f"/api/cafes/{w.spare_cafe}/schedule", json={"weekdays": [0, 1], "cutoff": "11:00"}
        ),
    ),
    ("POST", "/api/cafes/{cafe_id:uuid}/close"): (
        MANAGERS,
        lambda w, _r: Call(f"/api/cafes/{w.spare_cafe}/close", json={"date": TODAY.isoformat()}),
    ),
    ("GET", "/api/cafes/{cafe_id:uuid}/dispatches"): (
        MANAGERS,
        lambda w, _r: Call(f"/api/cafes/{w.office.cafe_id}/dispatches"),
    ),
    ("POST", "/api/cafes/{cafe_id:uuid}/dispatches/{date:date}/resend"): (
        MANAGERS,
        lambda w, _r: Call(f"/api/cafes/{w.office.cafe_id}/dispatches/2030-01-07/resend"),
    ),
    ("GET", "/api/cafe-requests"): (MANAGERS, fixed("/api/cafe-requests")),
    ("POST", "/api/cafe-requests/{request_id:uuid}/approve"): (
        MANAGERS,
        lambda w, _r: Call(
            f"/api/cafe-requests/{w.link_request}/approve", json={"cafe_id": w.spare_cafe}
        ),
    ),
    ("POST", "/api/cafe-requests/{request_id:uuid}/reject"): (
        MANAGERS,
        lambda w, _r: Call(f"/api/cafe-requests/{w.link_request}/reject", json={"reason": "-"}),
    ),
    ("GET", "/api/audit/orders/{order_id:uuid}/events"): (
        STAFF,
        lambda w, r: Call(f"/api/audit/orders/{own_order(EMPLOYEE)}/events"),
    ),
    ("GET", "/api/audit/orders/{order_id:uuid}"): (
        STAFF,
        lambda w, r: Call(f"/api/audit/orders/{own_order(EMPLOYEE)}"),
    ),
    ("GET", "/api/audit/verify"): (STAFF, fixed("/api/audit/verify")),
    ("GET", "/api/audit/log"): (STAFF, fixed("/api/audit/log")),
    ("GET", "/health"): (PUBLIC, fixed("/health")),
    ("GET", "/health/{name:str}"): (PUBLIC, fixed("/health/db")),
    ("GET", "/metrics"): (PUBLIC, fixed("/metrics")),
    ("GET", "/"): (PUBLIC, fixed("/")),
    ("GET", "/schema"): (PUBLIC, fixed("/schema")),
    ("GET", "/schema/openapi.json"): (PUBLIC, fixed("/schema/openapi.json")),
    ("GET", "/schema/openapi.yaml"): (PUBLIC, fixed("/schema/openapi.yaml")),
    ("GET", "/schema/openapi.yml"): (PUBLIC, fixed("/schema/openapi.yml")),
    ("GET", "/schema/swagger"): (PUBLIC, fixed("/schema/swagger")),
    ("GET", "/schema/redoc"): (PUBLIC, fixed("/schema/redoc")),
    ("GET", "/schema/rapidoc"): (PUBLIC, fixed("/schema/rapidoc")),
    ("GET", "/schema/elements"): (PUBLIC, fixed("/schema/elements")),
    ("GET", "/schema/oauth2-redirect.html"): (PUBLIC, fixed("/schema/oauth2-redirect.html")),
    ("GET", "/schema/{path:str}"): (PUBLIC, fixed("/schema/swagger")),
}


def app_routes() -> set[tuple[str, str]]:
    """(method, path template) of every route the app serves, as Litestar spells them."""
    nothing = cast(Any, None)
    app = create_app(
        Settings(auth=AuthSettings(dev_login=True)),
        nothing,
        nothing,
        nothing,
        miniapp_dist=Path("/nonexistent"),
    )
    return {
        (method, route.path)
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        for method in handler.http_methods
        if method not in ("OPTIONS", "HEAD")
    }


def test_every_route_has_a_row() -> None:
    """A new route fails here until the matrix says who may call it."""
    routes = app_routes()
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"routes without a role-matrix row: {missing}"
    assert not stale, f"role-matrix rows for routes the app no longer serves: {stale}"


@pytest.fixture(scope="module")
def running(
    postgres_url: str, redis_url: str, kafka_bootstrap: str, kafka_idempotence: bool
) -> Iterator[Running]:
    with running_api(postgres_url, redis_url, kafka_bootstrap, kafka_idempotence) as api:
        yield api


@pytest.fixture(scope="module")
def http(running: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=running.base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def world(running: Running, http: httpx.Client) -> World:
    """One office with a manager in the directory, an order per role, a spare cafe and a
    pending link request."""
    office = seed(http)
    manager = office.manager
    roster = http.post(
        "/api/employees/import",
        content=f"tg_id,name,office,role\n{MANAGER_ROW}".encode(),
        headers={**manager, "Content-Type": "text/csv"},
    )
    assert roster.status_code == 200, roster.text
    for tg_id in (EMPLOYEE, AUDITOR):
        body = {
            "cafe_id": office.cafe_id,
            "date": TODAY.isoformat(),
            "combo_id": office.light,
            "dishes": {"salad": office.dishes["Оливье"], "main": office.dishes["Котлета"]},
        }
        placed = http.post("/api/orders", json=body, headers=login(http, tg_id))
        assert placed.status_code == 201, placed.text
    spare = http.post(
        "/api/cafes", json={"name": "Запасное", "timezone": "Europe/Moscow"}, headers=manager
    )
    assert spare.status_code == 201, spare.text
    spare_id = spare.json()["id"]
    menu = http.put(
        f"/api/cafes/{spare_id}/menu",
        json={"dishes": [{"name": "Суп", "category": "soup", "price": 100}]},
        headers=manager,
    )
    assert menu.status_code == 200, menu.text
    link = running.service.request_link(-1001234, "Кафе «Запасное»", 777)
    wait_for(lambda: http.get("/api/cafe-requests", headers=manager).json())
    return World(
        office=office,
        spare_cafe=spare_id,
        spare_dish=menu.json()["dishes"][0]["id"],
        link_request=str(link.value.id),
    )


@pytest.fixture(scope="module")
def tokens(http: httpx.Client, world: World) -> dict[int, dict[str, str]]:
    return {tg_id: login(http, tg_id) for tg_id in (EMPLOYEE, AUDITOR, MANAGER)}


def send(http: httpx.Client, method: str, call: Call, headers: dict[str, str]) -> httpx.Response:
    if call.csv is not None:
        headers = {**headers, "Content-Type": "text/csv"}
        return http.request(
            method, call.path, params=call.params, content=call.csv.encode(), headers=headers
        )
    return http.request(method, call.path, params=call.params, json=call.json, headers=headers)


def expected(access: str, caller: int | None) -> str:
    if caller in ADMITS[access]:
        return "admitted"
    return "401" if caller is None else "403"


def outcome(response: httpx.Response) -> str:
    if response.status_code in (401, 403):
        return str(response.status_code)
    assert response.status_code < 500, f"{response.status_code}: {response.text[:300]}"
    return "admitted"


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX), ids=" ".join)
def test_route_admits_exactly_its_roles(
    http: httpx.Client,
    world: World,
    tokens: dict[int, dict[str, str]],
    method: str,
    path: str,
) -> None:
    """Each route answers its roles and refuses every other role with 403."""
    access, build = MATRIX[(method, path)]
    seen, wanted = {}, {}
    for caller in CALLERS:
        call = build(world, caller)
        headers = tokens[caller] if caller is not None else {}
        response = send(http, method, call, headers)
        seen[caller] = outcome(response)
        wanted[caller] = expected(access, caller)
        if seen[caller] in ("401", "403"):
            code = response.json()["error"]["code"]
            assert code == ("unauthenticated" if seen[caller] == "401" else "forbidden")
    assert seen == wanted, f"{method} {path} ({access})"
