"""The employee directory over HTTP: CSV import, listing, changes, and CORS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import redis
from litestar.testing import TestClient

from tests.integration.api.conftest import EMPLOYEE, MANAGER, login, wait_for

CSV = (
    "\ufefftg_id,name,office,role,monthly_limit\n"
    "2001,Анна,HQ,,500000\n"
    "2002,Борис,Склад,manager,\n"
    "abc,Плохой,HQ,,\n"
    "2003,Кто-то,HQ,boss,\n"
)


def test_import_keeps_good_lines_and_reports_bad_ones(client: TestClient[Any]) -> None:
    """A roster import keeps the good lines and reports each bad one with its line."""
    manager = login(client, MANAGER)
    response = client.post(
        "/api/employees/import",
        content=CSV.encode(),
        headers={**manager, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["added"], result["updated"]) == (2, 0)
    assert [e["line"] for e in result["errors"]] == [4, 5]

    again = client.post("/api/employees/import", content=CSV.encode(), headers=manager)
    assert (again.json()["added"], again.json()["updated"]) == (0, 0)

    listed = wait_for(lambda: len(client.get("/api/employees", headers=manager).json()) == 2)
    assert listed
    employees = client.get("/api/employees", headers=manager).json()
    assert employees[0] == {
        "tg_id": 2001,
        "name": "Анна",
        "office": "HQ",
        "role": "employee",
        "active": True,
        "monthly_limit": 500000,
    }
    assert employees[1]["role"] == "manager"


def test_the_importing_manager_sees_the_whole_import_at_once(
    client: TestClient[Any], redis_db_url: str
) -> None:
    """The listing right after an import waits for every imported employee
    (read-your-writes), and later listings no longer wait for them."""
    manager = login(client, MANAGER)
    client.post("/api/employees/import", content=CSV.encode(), headers=manager)
    # A fresh topic's consumer groups take longer to form than a read waits.
    wait_for(lambda: len(client.get("/api/employees", headers=manager).json()) == 2)
    roster = "tg_id,name,office\n" + "".join(f"{4000 + i},Сотрудник {i},HQ\n" for i in range(40))

    imported = client.post(
        "/api/employees/import",
        content=roster.encode(),
        headers={**manager, "Content-Type": "text/csv"},
    )
    assert imported.json()["added"] == 40, imported.text
    listed = client.get("/api/employees", headers=manager).json()

    assert len(listed) == 42
    pending = redis.Redis.from_url(redis_db_url)
    assert pending.hlen(f"lunch:ryw:employees:{MANAGER}") == 0
    pending.close()


def test_broken_csv_lines_are_reported_not_500(write_client: TestClient[Any]) -> None:
    """A carriage return inside a field ends that line; a field the CSV reader refuses stops
    the import there. Both are reported by line, nothing bad is written, never a 500."""
    manager = login(write_client, MANAGER)
    broken = "tg_id,name,office\n2001,Ан\rна,HQ\n".encode()
    response = write_client.post(
        "/api/employees/import", content=broken, headers={**manager, "Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["added"] == 0
    assert [e["line"] for e in response.json()["errors"]] == [2, 3]
    huge = "x" * 200_000
    unreadable = f'tg_id,name,office\n2002,Bob,HQ\n2003,"{huge}",HQ\n2004,Cy,HQ\n'.encode()
    response = write_client.post(
        "/api/employees/import",
        content=unreadable,
        headers={**manager, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text[:300]
    assert response.json()["added"] == 1
    [problem] = response.json()["errors"]
    assert problem["line"] == 3
    assert problem["reason"].startswith("not readable as CSV")


def test_patch_changes_one_employee_and_the_list_follows(client: TestClient[Any]) -> None:
    """After a change the manager's next listing already shows it (read-your-writes)."""
    manager = login(client, MANAGER)
    client.post("/api/employees/import", content=CSV.encode(), headers=manager)
    wait_for(lambda: len(client.get("/api/employees", headers=manager).json()) == 2)

    patched = client.patch(
        f"/api/employees/{EMPLOYEE}",
        json={"office": "Склад", "monthly_limit": None, "role": "auditor"},
        headers=manager,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["monthly_limit"] is None
    employees = client.get("/api/employees", headers=manager).json()
    anna = next(e for e in employees if e["tg_id"] == EMPLOYEE)
    assert (anna["office"], anna["role"], anna["monthly_limit"]) == ("Склад", "auditor", None)

    kept = client.patch(f"/api/employees/{EMPLOYEE}", json={"active": False}, headers=manager)
    assert kept.json()["monthly_limit"] is None
    assert kept.json()["office"] == "Склад"


def test_cors_allows_only_the_mini_app_origin_in_production(
    make_client: Callable[..., TestClient[Any]], write_client: TestClient[Any]
) -> None:
    """Cors allows only the mini app origin in production."""
    client = make_client(
        env="production",
        auth={"dev_login": False},
        telegram={"miniapp_url": "https://lunch.example.org/app"},
    )
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = client.options(
        "/api/orders", headers={"Origin": "https://lunch.example.org", **preflight}
    )
    assert allowed.headers.get("access-control-allow-origin") == "https://lunch.example.org"
    other = client.options("/api/orders", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers
