"""No one reads or changes another employee's order, report or recommendations.

Every route of the role matrix (which fails when a route has no row, so new routes join this
sweep by construction) is called as the *victim's* call — their order id, their Telegram id
smuggled into the query — with each other person's token. An employee must learn nothing of
the victim from any answer; nobody but the victim may change the victim's order.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import AUDITOR, EMPLOYEE, MANAGER, OTHER, login
from tests.integration.api.test_role_matrix import MATRIX, World, own_order, send

VICTIM = EMPLOYEE
VICTIM_NAME = "Анна Петрова"
SMUGGLED = {"tg_id": str(VICTIM), "user": str(VICTIM), "employee": str(VICTIM)}
# Logging in as someone takes their Telegram signature (or the development login, which
# exists only with LUNCH_DEV_LOGIN=1): those answers name the person by design.
LOGINS = {("POST", "/api/auth/telegram"), ("POST", "/api/auth/dev")}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# The OpenAPI document and its viewers are one static text for everyone (its examples
# happen to use the seeded office's names).
ROUTES = sorted(r for r in set(MATRIX) - LOGINS if not r[1].startswith("/schema"))


def victims_order(http: httpx.Client, victim: dict[str, str]) -> Any:
    answer = http.get(f"/api/orders/{own_order(VICTIM)}", headers=victim)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def victim(http: httpx.Client, world: World) -> dict[str, str]:
    return login(http, VICTIM)


@pytest.fixture(scope="module")
def before(http: httpx.Client, victim: dict[str, str]) -> Any:
    """The victim's order as it stood before anyone else touched anything."""
    return victims_order(http, victim)


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_an_employee_learns_nothing_of_another_from_any_route(
    http: httpx.Client, world: World, before: Any, method: str, path: str
) -> None:
    """The victim's order id and name appear in no answer to another employee."""
    call = MATRIX[(method, path)][1](world, VICTIM)
    if method == "GET":
        call = type(call)(call.path, {**SMUGGLED, **call.params}, call.json, call.csv)
    answer = send(http, method, call, login(http, OTHER))
    assert answer.status_code < 500, answer.text
    assert VICTIM_NAME not in answer.text
    assert f'"tg_id":{VICTIM}' not in answer.text.replace(" ", "")
    if before["id"] in call.path:
        assert answer.status_code in (403, 404), answer.text
    else:
        assert before["id"] not in answer.text


@pytest.mark.parametrize(
    "intruder", [OTHER, AUDITOR, MANAGER], ids=["employee", "auditor", "manager"]
)
@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_nobody_but_the_owner_changes_an_order(
    http: httpx.Client,
    world: World,
    before: Any,
    victim: dict[str, str],
    method: str,
    intruder: int,
) -> None:
    """Changing or cancelling another's order is refused for every role and changes nothing."""
    call = MATRIX[(method, "/api/orders/{order_id:uuid}")][1](world, VICTIM)
    answer = send(http, method, call, login(http, intruder))
    assert answer.status_code in (403, 404), answer.text
    assert victims_order(http, victim) == before


def test_the_victims_order_is_untouched_after_the_whole_sweep(
    http: httpx.Client, before: Any, victim: dict[str, str]
) -> None:
    """Run last in the module: every call above changed nothing of the victim's."""
    assert victims_order(http, victim) == before
