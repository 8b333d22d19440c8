"""Security headers on the Mini App and the API, and CORS limited to the Mini App in production."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from api.headers import API_POLICY, MINIAPP_POLICY
from tests.integration.api.conftest import MANAGER, login

Make = Callable[..., TestClient[Any]]
MINIAPP = "https://lunch.example.com"
STRONG_SECRET = "Kq7vX2mN9pL4rT8wZ1yB6cH3jF5dG0sA"


@pytest.mark.parametrize(
    ("path", "policy"),
    [
        ("/", MINIAPP_POLICY),
        ("/api/auth/config", API_POLICY),
        ("/api/me", API_POLICY),  # a 401
        ("/api/nowhere", API_POLICY),  # a 404
        ("/health", API_POLICY),
        ("/metrics", API_POLICY),
    ],
)
def test_every_answer_carries_the_security_headers(
    write_client: TestClient[Any], path: str, policy: str
) -> None:
    response = write_client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"] == policy


def test_the_miniapp_policy_admits_telegrams_script_and_nothing_foreign() -> None:
    """Telegram's web-app script loads; scripts from anywhere else do not."""
    directives = dict(d.split(" ", 1) for d in MINIAPP_POLICY.split("; "))
    assert directives["script-src"] == "'self' https://telegram.org"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "https://web.telegram.org" in directives["frame-ancestors"]


def test_a_rate_limited_answer_carries_them_too(make_client: Make, write_client: Any) -> None:
    from api.ratelimit import RateLimits

    client = make_client(app_options={"rate_limits": RateLimits(per_user=1)})
    headers = login(client, MANAGER)
    client.get("/api/me", headers=headers)
    refused = client.get("/api/me", headers=headers)
    assert refused.status_code == 429
    assert refused.headers["x-content-type-options"] == "nosniff"


def test_production_cors_admits_only_the_miniapp_origin(
    make_client: Make, write_client: Any
) -> None:
    """A preflight from the Mini App's origin is allowed; from any other origin it is not."""
    client = make_client(
        env="production",
        auth={"dev_login": False, "jwt_secret": STRONG_SECRET},
        telegram={"miniapp_url": f"{MINIAPP}/app/"},
    )
    preflight = {"Access-Control-Request-Method": "POST"}
    ours = client.options("/api/orders", headers={**preflight, "Origin": MINIAPP})
    assert ours.headers.get("access-control-allow-origin") == MINIAPP
    theirs = client.options("/api/orders", headers={**preflight, "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in theirs.headers
    simple = client.get("/api/auth/config", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers
    assert (
        client.get("/api/auth/config", headers={"Origin": MINIAPP}).headers.get(
            "access-control-allow-origin"
        )
        == MINIAPP
    )


def test_production_without_a_miniapp_url_sends_no_cors_headers(
    make_client: Make, write_client: Any
) -> None:
    client = make_client(env="production", auth={"dev_login": False, "jwt_secret": STRONG_SECRET})
    answer = client.get("/api/auth/config", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in answer.headers
