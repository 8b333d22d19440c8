"""Audit over HTTP: an order's history, the order and the cafe-day report as of a moment,
verification and the log export; auditors and managers only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar.testing import TestClient

from tests.integration.api.conftest import AUDITOR, EMPLOYEE, MANAGER, NOW, TODAY, Clock, login
from tests.integration.api.office import seed
from tests.integration.api.test_reports import full, light

MINUTE = dt.timedelta(minutes=1)


def test_place_change_cancel_history_and_as_of(client: TestClient[Any], clock: Clock) -> None:
    """Place, change, cancel: three events with what changed; as of between the change and
    the cancellation the order holds the changed dishes; before it existed, 404 and an
    empty report."""
    office = seed(client)
    employee, auditor = login(client, EMPLOYEE), login(client, AUDITOR)
    clock.instant = NOW + MINUTE
    placed = client.post("/api/orders", json=full(office), headers=employee).json()
    clock.instant = NOW + 2 * MINUTE
    changed = client.put(f"/api/orders/{placed['id']}", json=light(office), headers=employee)
    assert changed.status_code == 200, changed.text
    clock.instant = NOW + 3 * MINUTE
    assert client.delete(f"/api/orders/{placed['id']}", headers=employee).status_code == 200

    history = client.get(f"/api/audit/orders/{placed['id']}/events", headers=auditor)
    assert history.status_code == 200, history.text
    events = history.json()
    assert [(e["version"], e["type"], e["actor"]) for e in events] == [
        (1, "Order.Placed", str(EMPLOYEE)),
        (2, "Order.Changed", str(EMPLOYEE)),
        (3, "Order.Cancelled", str(EMPLOYEE)),
    ]
    assert [dt.datetime.fromisoformat(e["at"]) for e in events] == [
        NOW + MINUTE,
        NOW + 2 * MINUTE,
        NOW + 3 * MINUTE,
    ]
    assert events[1]["data"]["combo_name"] == "Лёгкий"
    change = {c["field"]: (c["before"], c["after"]) for c in events[1]["changes"]}
    assert change["dishes"] == (
        ["salad: Оливье", "soup: Борщ", "main: Пельмени"],
        ["salad: Цезарь", "main: Котлета"],
    )
    assert change["total"] == (45000, 35000)
    assert {c["field"] for c in events[2]["changes"]} == {"status"}
    assert events[2]["changes"][0]["after"] == "cancelled"

    between = (NOW + 150 * dt.timedelta(seconds=1)).isoformat()
    then = client.get(
        f"/api/audit/orders/{placed['id']}", params={"as_of": between}, headers=auditor
    )
    assert then.status_code == 200, then.text
    assert [d["name"] for d in then.json()["dishes"]] == ["Цезарь", "Котлета"]
    assert then.json()["status"] == "placed"
    now = client.get(f"/api/audit/orders/{placed['id']}", headers=login(client, MANAGER))
    assert now.json()["status"] == "cancelled"

    before = (NOW + 30 * dt.timedelta(seconds=1)).isoformat()
    missing = client.get(
        f"/api/audit/orders/{placed['id']}", params={"as_of": before}, headers=auditor
    )
    assert missing.status_code == 404
    report = client.get(
        "/api/reports/cafe-day",
        params={"cafe_id": office.cafe_id, "date": TODAY.isoformat(), "as_of": before},
        headers=auditor,
    )
    assert report.status_code == 200, report.text
    assert (report.json()["orders_count"], report.json()["orders"]) == (0, [])
    at_change = client.get(
        "/api/reports/cafe-day",
        params={"cafe_id": office.cafe_id, "date": TODAY.isoformat(), "as_of": between},
        headers=auditor,
    )
    assert [o["dishes"] for o in at_change.json()["orders"]] == [["Цезарь", "Котлета"]]


def test_verify_and_export(client: TestClient[Any], clock: Clock) -> None:
    """A healthy store verifies; the export is one JSON line per event with its hash, and
    ``from``/``to`` select by the events' time."""
    office = seed(client)
    clock.instant = NOW + MINUTE
    client.post("/api/orders", json=full(office), headers=login(client, EMPLOYEE))
    auditor = login(client, AUDITOR)

    report = client.get("/api/audit/verify", headers=auditor)
    assert report.status_code == 200, report.text
    assert (report.json()["ok"], report.json()["mismatches"]) == (True, [])

    exported = client.get("/api/audit/log", headers=auditor)
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("application/x-ndjson")
    lines = [msgspec.json.decode(line) for line in exported.content.splitlines()]
    assert len(lines) == report.json()["head"]
    assert lines[-1]["hash"] == report.json()["head_hash"]
    # A placement writes the order's event and the employee-month's spend in one append.
    placed = ["Order.Placed", "EmployeeMonth.SpendRecorded"]
    assert [line["type"] for line in lines[-2:]] == placed
    assert all(line["type"] == line["event"]["type"] for line in lines[-2:])

    since = (NOW + 30 * dt.timedelta(seconds=1)).isoformat()
    recent = client.get("/api/audit/log", params={"from": since}, headers=auditor)
    assert [msgspec.json.decode(x)["type"] for x in recent.content.splitlines()] == placed


def test_employees_may_not_audit(client: TestClient[Any]) -> None:
    """Every audit route answers 403 to an employee."""
    office = seed(client)
    employee = login(client, EMPLOYEE)
    order = client.post("/api/orders", json=full(office), headers=employee).json()
    for path in (
        f"/api/audit/orders/{order['id']}/events",
        f"/api/audit/orders/{order['id']}",
        "/api/audit/verify",
        "/api/audit/log",
    ):
        assert client.get(path, headers=employee).status_code == 403, path
