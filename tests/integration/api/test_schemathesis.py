"""schemathesis against the api served by uvicorn: generated requests to every operation of
/schema/openapi.json, as a manager, must never get a 5xx, and every answer must match the
document (status, content type, body, headers).

Bounded for CI: a fixed number of examples per operation, derandomized, so a run takes
under a minute on two cores and finds the same things each time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar.testing import TestClient
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from api.app import create_app
from commands.settings import AuthSettings, Settings
from tests.integration.api.conftest import MANAGER, login
from tests.integration.api.office import seed
from tests.integration.api.running import Running, running_api

# A deeper search: SCHEMATHESIS_EXAMPLES=500 pytest tests/integration/api/test_schemathesis.py
# schemathesis' own strategies trip a deprecation warning of Hypothesis on every example.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "50"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(scope="module")
def running(
    postgres_url: str, redis_url: str, kafka_bootstrap: str, kafka_idempotence: bool
) -> Iterator[Running]:
    with running_api(postgres_url, redis_url, kafka_bootstrap, kafka_idempotence) as api:
        with httpx.Client(base_url=api.base_url, timeout=30) as client:
            seed(client)
        yield api


@pytest.fixture(scope="module")
def manager(running: Running) -> dict[str, str]:
    with httpx.Client(base_url=running.base_url, timeout=30) as client:
        return login(client, MANAGER)


def served_document() -> dict[str, Any]:
    """The document the app serves, built in-process (the app needs no services for it)."""
    nothing = cast(Any, None)
    app = create_app(Settings(auth=AuthSettings(dev_login=True)), nothing, nothing, nothing)
    with TestClient(app) as client:
        document: dict[str, Any] = client.get("/schema/openapi.json").json()
    return document


DOCUMENT = served_document()
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True},
        "phases": {"stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)


def test_the_running_api_serves_the_document_under_test(running: Running) -> None:
    """The running api serves the same OpenAPI document the property test reads."""
    assert httpx.get(f"{running.base_url}/schema/openapi.json").json() == DOCUMENT


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_keeps_its_documented_promises(
    case: Any, running: Running, manager: dict[str, str]
) -> None:
    """Every operation, driven by generated requests, answers as its OpenAPI document says."""
    case.call_and_validate(base_url=running.base_url, headers=manager, checks=CHECKS)
