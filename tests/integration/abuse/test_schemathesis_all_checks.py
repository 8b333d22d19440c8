"""schemathesis with every check against every operation, and its stateful (links) phase, as
a manager: no 5xx, and no gap between the OpenAPI document and what the server enforces.

Bounded for CI (a fixed number of examples, derandomized). A deeper search:
SCHEMATHESIS_EXAMPLES=300 pytest tests/integration/abuse/test_schemathesis_all_checks.py

Refusals no document can state are allowed here by name, each for its reason:
- business rules that depend on stored data (``ordering_closed``, ``invalid_combo``, ...);
- rules across two fields: ``to`` not before ``from`` in a period report (the parameter's
  description says so), and a combo's categories distinct once lower-cased;
- availability of an unknown menu item is 404 about the *item*, not about the cafe the
  stateful phase just created;
- a CSV body must be text: a generated JSON object sent as ``text/csv`` is not a request
  any client could mean.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.modes import GenerationMode

from tests.integration.api.conftest import MANAGER, login
from tests.integration.api.office import seed
from tests.integration.api.running import Running, running_api
from tests.integration.api.test_schemathesis import served_document

pytestmark = [
    pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning"),
    # Every check sends probes of its own besides each example: minutes on two busy cores.
    pytest.mark.timeout(900),
]
EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
STATEFUL_EXAMPLES = int(os.environ.get("SCHEMATHESIS_STATEFUL_EXAMPLES", "10"))
load_all_checks()
ALL_CHECKS = CHECKS.get_all()
BUSINESS_RULES = {
    "ordering_closed",
    "invalid_combo",
    "dish_unavailable",
    "limit_exceeded",
    "cafe_inactive",
    "order_exists",
}
CROSS_FIELD = {("GET", "/api/reports/period", "to"), ("PUT", "combos", "combos.categories")}

CONFIG = SchemathesisConfig.from_dict(
    {"generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True}}
)
schema = schemathesis.openapi.from_dict(served_document(), config=CONFIG)


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


def _error(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body.get("error", {}) if isinstance(body, dict) else {}


def excused(case: Any, response: Any, failure: Any) -> bool:
    """True for the refusals listed in the module docstring, and only those."""
    kind, error = type(failure).__name__, _error(response)
    method, path = case.operation.method.upper(), case.operation.path
    if kind == "RejectedPositiveData" and response.status_code == 400:
        field = str(error.get("details", {}).get("field", ""))
        if error.get("code") in BUSINESS_RULES:
            return True
        return any(method == m and p in path and field == f for m, p, f in CROSS_FIELD)
    if kind == "EnsureResourceAvailability":
        return path.endswith("/availability") and "item_id" in error.get("details", {})
    return False


def validate(case: Any, response: Any, **kwargs: Any) -> None:
    try:
        case.validate_response(response, checks=ALL_CHECKS, **kwargs)
    except FailureGroup as group:
        left = [f for f in group.exceptions if not excused(case, response, f)]
        if left:
            raise FailureGroup(left, group.message) from None


def credentials(case: Any, manager: dict[str, str]) -> dict[str, str]:
    """The manager's token, except where the case is about the token missing."""
    headers = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    negative = headers is not None and headers.mode == GenerationMode.NEGATIVE
    if negative and "Authorization" not in (case.headers or {}):
        return {}
    return manager


def is_text_body(case: Any) -> bool:
    return case.media_type != "text/csv" or isinstance(case.body, (str, bytes))


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_keeps_the_documents_promises(
    case: Any, running: Running, manager: dict[str, str]
) -> None:
    if not is_text_body(case):
        return
    headers = credentials(case, manager)
    response = case.call(base_url=running.base_url, headers=headers)
    validate(case, response, headers=headers, transport_kwargs={"base_url": running.base_url})


def test_linked_operations_keep_the_documents_promises(
    running: Running, manager: dict[str, str]
) -> None:
    """The stateful phase: create a cafe, use its id in the operations linked to it, ..."""

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": running.base_url, "headers": credentials(case, manager)}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            validate(case, response, headers=credentials(case, manager))

    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=8,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
