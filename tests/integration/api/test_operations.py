"""Health, metrics, OpenAPI, the Mini App page and request ids."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from api.main import build_app
from commands.settings import Settings
from projections.engine.schema import setup
from projections.models.catalogue import ALL
from projections.reads.queries import Queries
from tests.integration.api.conftest import EMPLOYEE, MANAGER, TODAY, login
from tests.integration.api.office import seed

Make = Callable[..., TestClient[Any]]


def test_health_is_ok_when_every_service_answers(write_client: TestClient[Any]) -> None:
    """/health is 200 with every check ok when every service answers."""
    response = write_client.get("/health")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "ok",
        "checks": {"db": "ok", "redis": "ok", "kafka": "ok"},
    }
    for name in ("db", "redis", "kafka"):
        assert write_client.get(f"/health/{name}").json() == {"status": "ok"}


def test_health_is_503_naming_the_service_that_is_down(
    make_client: Make, write_client: TestClient[Any]
) -> None:
    """Health is 503 naming the service that is down."""
    client = make_client(
        kafka={"bootstrap_servers": "127.0.0.1:1"}, redis={"url": "redis://127.0.0.1:1/0"}
    )
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "status": "down",
        "checks": {"db": "ok", "redis": "down", "kafka": "down"},
    }
    assert client.get("/health/kafka").status_code == 503
    assert client.get("/health/redis").status_code == 503
    assert client.get("/health/db").status_code == 200
    assert client.get("/health/nothing").status_code in (400, 404)


def test_orders_still_work_when_redis_is_down(
    make_client: Make, write_client: TestClient[Any]
) -> None:
    """Redis only serves read-your-writes: without it, writes succeed and reads answer."""
    office = seed(write_client, read_side=False)
    client = make_client(redis={"url": "redis://127.0.0.1:1/0"})
    employee = login(client, EMPLOYEE)
    body = {
        "cafe_id": office.cafe_id,
        "date": TODAY.isoformat(),
        "combo_id": office.light,
        "dishes": {"salad": office.dishes["Оливье"], "main": office.dishes["Котлета"]},
    }
    assert client.post("/api/orders", json=body, headers=employee).status_code == 201
    assert client.get("/api/orders/mine", headers=employee).status_code == 200


def test_metrics_count_requests_per_route_and_show_the_store_head(
    write_client: TestClient[Any],
) -> None:
    """/metrics counts requests per route and shows the event store's head."""
    write_client.get("/api/auth/config")
    write_client.get("/api/auth/config")
    text = write_client.get("/metrics").text
    assert (
        'lunch_http_requests_total{method="GET",route="/api/auth/config",status="200"} 2.0' in text
    )
    assert "lunch_http_request_duration_seconds_bucket" in text
    assert "lunch_event_store_head 0.0" in text


def test_openapi_describes_the_routes(write_client: TestClient[Any]) -> None:
    """Openapi describes the routes."""
    schema = write_client.get("/schema/openapi.json").json()
    for path in (
        "/api/orders",
        "/api/orders/mine",
        "/api/cafes/{cafe_id}/menu",
        "/api/auth/telegram",
    ):
        assert path in schema["paths"], path
    assert "bearer" in schema["components"]["securitySchemes"]
    assert write_client.get("/schema").status_code == 200


def test_root_serves_a_placeholder_until_the_mini_app_is_built(
    make_client: Make, write_client: TestClient[Any], tmp_path: Path
) -> None:
    """Root serves a placeholder until the mini app is built."""
    client = make_client(app_options={"miniapp_dist": tmp_path / "absent"})
    page = client.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "Mini App is not built" in page.text


def test_root_serves_the_built_mini_app(
    make_client: Make, write_client: TestClient[Any], tmp_path: Path
) -> None:
    """Root serves the built mini app."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html><body>lunch app</body></html>")
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    client = make_client(app_options={"miniapp_dist": tmp_path})
    assert "lunch app" in client.get("/").text
    assert client.get("/assets/app.js").text == "console.log(1)"
    assert client.get("/api/auth/config").status_code == 200
    missing = client.get("/api/nothing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_each_response_carries_a_request_id(write_client: TestClient[Any]) -> None:
    """Each response carries a request id."""
    generated = write_client.get("/api/auth/config").headers["x-request-id"]
    assert len(generated) == 32
    echoed = write_client.get("/api/auth/config", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"


def test_build_app_wires_everything_from_settings(settings: Settings, queries: Queries) -> None:
    """``lunch serve api`` builds the app from Settings alone."""
    setup(queries.pool, ALL)
    with TestClient(build_app(settings)) as client:
        assert client.get("/health/db").status_code == 200
        headers = login(client, MANAGER)
        assert client.get("/api/cafes", headers=headers).json() == []
