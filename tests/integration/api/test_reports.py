"""Reports, the caller's month, cafe link requests and dispatches over HTTP, with the relay and
the projector running."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from typing import Any

import pytest
from litestar.testing import TestClient

from commands.late_orders import reject_late_orders
from commands.service import LunchService
from commands.store import EventStore
from domain import events as ev
from domain import order as order_model
from domain.ids import order_id
from domain.order import ExtraLine, OrderRequest
from tests.integration.api.conftest import (
    AUDITOR,
    EMPLOYEE,
    MANAGER,
    NOW,
    OTHER,
    TODAY,
    Clock,
    login,
    wait_for,
)
from tests.integration.api.office import Office, seed

TOMORROW = TODAY + dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)


def _place(client: TestClient[Any], tg_id: int, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/orders", json=body, headers=login(client, tg_id))
    assert response.status_code == 201, response.text
    placed: dict[str, Any] = response.json()
    return placed


def full(office: Office, date: dt.date = TODAY, **extras: int) -> dict[str, Any]:
    return {
        "cafe_id": office.cafe_id,
        "date": date.isoformat(),
        "combo_id": office.full,
        "dishes": {
            "salad": office.dishes["Оливье"],
            "soup": office.dishes["Борщ"],
            "main": office.dishes["Пельмени"],
        },
        "extras": [{"extra_id": office.extras[name], "qty": n} for name, n in extras.items()],
    }


def light(office: Office, **extras: int) -> dict[str, Any]:
    return {
        "cafe_id": office.cafe_id,
        "date": TODAY.isoformat(),
        "combo_id": office.light,
        "dishes": {"salad": office.dishes["Цезарь"], "main": office.dishes["Котлета"]},
        "extras": [{"extra_id": office.extras[name], "qty": n} for name, n in extras.items()],
        "note": "без лука",
    }


def _sheet(client: TestClient[Any], office: Office, count: int, **params: str) -> Any:
    """The cafe-day report once it counts ``count`` orders (the projector applies them)."""

    def probe() -> Any:
        response = client.get(
            "/api/reports/cafe-day",
            params={"cafe_id": office.cafe_id, "date": TODAY.isoformat(), **params},
            headers=office.manager,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        return body if body["orders_count"] == count else None

    return wait_for(probe)


def test_cafe_day_report_in_json_and_csv(client: TestClient[Any], clock: Clock) -> None:
    """Two employees' orders: counts per dish and extra, totals, one line per person with
    name and office; CSV is a download with a BOM and one row per order; as_of replays."""
    office = seed(client)
    clock.instant = NOW + MINUTE
    anna = _place(client, EMPLOYEE, full(office, Морс=2))
    clock.instant = NOW + 2 * MINUTE
    _place(client, OTHER, light(office, Хлеб=1))

    sheet = _sheet(client, office, 2)

    assert sheet["cafe_name"] == "Пельменная"
    assert (sheet["date"], sheet["currency"], sheet["closed"]) == ("2026-11-26", "RUB", False)
    assert sheet["total"] == 55000 + 36000
    assert {(d["category"], d["name"], d["count"]) for d in sheet["dishes"]} == {
        ("salad", "Оливье", 1),
        ("salad", "Цезарь", 1),
        ("soup", "Борщ", 1),
        ("main", "Пельмени", 1),
        ("main", "Котлета", 1),
    }
    assert [(x["name"], x["qty"], x["total"]) for x in sheet["extras"]] == [
        ("Морс", 2, 10000),
        ("Хлеб", 1, 1000),
    ]
    assert [
        (o["tg_id"], o["name"], o["office"], o["combo_name"], o["dishes"], o["extras"], o["total"])
        for o in sheet["orders"]
    ] == [
        (2001, "Анна Петрова", "HQ", "Полный", ["Оливье", "Борщ", "Пельмени"], ["Морс ×2"], 55000),
        (2002, "Борис", "HQ", "Лёгкий", ["Цезарь", "Котлета"], ["Хлеб"], 36000),
    ]
    assert sheet["orders"][0]["order_id"] == anna["id"]

    response = client.get(
        "/api/reports/cafe-day",
        params={"cafe_id": office.cafe_id, "date": TODAY.isoformat(), "format": "csv"},
        headers=login(client, AUDITOR),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="cafe-day-2026-11-26-')
    assert "filename*=UTF-8''%D0%9F" in disposition
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["name"], r["office"], r["total"], r["extras"]) for r in rows] == [
        ("Анна Петрова", "HQ", "55000", "Морс ×2"),
        ("Борис", "HQ", "36000", "Хлеб"),
    ]
    assert rows[1]["note"] == "без лука"

    earlier = _sheet(client, office, 1, as_of=(NOW + 90 * dt.timedelta(seconds=1)).isoformat())
    assert [o["name"] for o in earlier["orders"]] == ["Анна Петрова"]
    assert earlier["as_of"] == "2026-11-26T06:01:30Z"


def test_period_report_and_the_month_against_the_limit(client: TestClient[Any]) -> None:
    """The period report sums the cafe-days and each employee's spend; /api/me shows this
    month's spend and orders against the monthly limit."""
    office = seed(client)
    limit = client.patch(
        f"/api/employees/{EMPLOYEE}", json={"monthly_limit": 300000}, headers=office.manager
    )
    assert limit.status_code == 200, limit.text
    _place(client, EMPLOYEE, full(office, Морс=2))
    _place(client, OTHER, light(office, Хлеб=1))
    _place(client, EMPLOYEE, full(office, TOMORROW))
    _sheet(client, office, 2)

    def period() -> Any:
        params = {"from": TODAY.isoformat(), "to": TOMORROW.isoformat()}
        body = client.get("/api/reports/period", params=params, headers=office.manager).json()
        return body if body["orders_count"] == 3 else None

    report = wait_for(period)
    assert [(c["date"], c["orders_count"], c["total"]) for c in report["cafes"]] == [
        ("2026-11-26", 2, 91000),
        ("2026-11-27", 1, 45000),
    ]
    assert [(p["name"], p["orders_count"], p["total"]) for p in report["employees"]] == [
        ("Анна Петрова", 2, 100000),
        ("Борис", 1, 36000),
    ]
    assert report["totals"] == {"RUB": 136000}
    assert (report["from"], report["to"]) == ("2026-11-26", "2026-11-27")
    as_csv = client.get(
        "/api/reports/period",
        params={"from": TODAY.isoformat(), "to": TOMORROW.isoformat(), "format": "csv"},
        headers=office.manager,
    )
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert [(r["section"], r["total"]) for r in rows] == [
        ("cafe_day", "91000"),
        ("cafe_day", "45000"),
        ("employee", "100000"),
        ("employee", "36000"),
    ]

    anna = login(client, EMPLOYEE)
    me = client.get("/api/me", headers=anna).json()
    assert (me["monthly_limit"], me["spent_this_month"], me["orders_this_month"]) == (
        300000,
        100000,
        2,
    )
    stats = wait_for(
        lambda: (
            body
            if (body := client.get("/api/me/stats", headers=anna).json())["orders_this_month"] == 2
            else None
        )
    )
    assert (stats["month"], stats["spent_this_month"], stats["remaining"]) == (
        "2026-11",
        100000,
        200000,
    )
    assert {d["name"]: d["count"] for d in stats["favourite_dishes"]} == {
        "Оливье": 2,
        "Борщ": 2,
        "Пельмени": 2,
    }


def test_late_order_is_flagged_then_rejected(
    client: TestClient[Any], store: EventStore, clock: Clock
) -> None:
    """An order that reached the log after the early close is listed as late and left out of
    the counts; once the late-order process rejects it, it shows rejected with the reason."""
    office = seed(client)
    _place(client, EMPLOYEE, full(office))
    service = LunchService(store, now=clock.now)
    cafe = service.cafe(uuid.UUID(office.cafe_id))
    request = OrderRequest(
        cafe_id=cafe.id,
        date=TODAY,
        combo_id=uuid.UUID(office.light),
        dishes={
            "salad": uuid.UUID(office.dishes["Цезарь"]),
            "main": uuid.UUID(office.dishes["Котлета"]),
        },
        extras=(ExtraLine(extra_id=uuid.UUID(office.extras["Хлеб"]), qty=1),),
    )
    employee = service.employee(OTHER)
    # Decided before the close, committed after it: the race the backstop exists for.
    decided = order_model.place_order(
        order_id(OTHER, TODAY),
        None,
        cafe,
        employee,
        request,
        spent_elsewhere=0,
        now=clock.now(),
        actor=str(OTHER),
    )
    closed = client.post(
        f"/api/cafes/{office.cafe_id}/close",
        json={"date": TODAY.isoformat()},
        headers=office.manager,
    )
    assert closed.status_code == 200, closed.text
    store.append([(order_id(OTHER, TODAY), 1, decided)])

    flagged = wait_for(lambda: (s := _sheet(client, office, 1))["late"] and s)
    assert flagged["closed"] is True
    assert [(o["name"], o["status"], o["late"]) for o in flagged["late"]] == [
        ("Борис", "placed", True)
    ]
    assert flagged["total"] == 45000

    assert reject_late_orders(service) == [str(decided.order_id)]
    rejected = wait_for(
        lambda: (s := _sheet(client, office, 1))["late"][0]["status"] == "rejected" and s
    )
    assert "closed" in rejected["late"][0]["reason"]
    assert (rejected["orders_count"], rejected["total"]) == (1, 45000)
    mine = client.get("/api/orders/mine", headers=login(client, OTHER)).json()
    assert [o["status"] for o in mine] == ["rejected"]


def test_link_requests_are_approved_and_rejected(
    client: TestClient[Any], store: EventStore
) -> None:
    """Pending requests are listed; approving links the chat to the cafe; rejecting keeps the
    reason; a decided request cannot be decided again; only managers may do any of it."""
    office = seed(client)
    service = LunchService(store)
    kitchen = service.request_link(-100123, "Кухня Пельменной", 555).value
    spam = service.request_link(-100999, "Spam", 556).value

    pending = wait_for(
        lambda: (
            found
            if len(
                found := client.get(
                    "/api/cafe-requests", params={"status": "pending"}, headers=office.manager
                ).json()
            )
            == 2
            else None
        )
    )
    assert {(r["chat_id"], r["chat_title"], r["requested_by"]) for r in pending} == {
        (-100123, "Кухня Пельменной", 555),
        (-100999, "Spam", 556),
    }
    assert all(r["status"] == "pending" and r["cafe_id"] is None for r in pending)
    assert client.get("/api/cafe-requests", headers=login(client, EMPLOYEE)).status_code == 403

    approved = client.post(
        f"/api/cafe-requests/{kitchen.id}/approve",
        json={"cafe_id": office.cafe_id},
        headers=office.manager,
    )
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["cafe_id"]) == ("approved", office.cafe_id)
    rejected = client.post(
        f"/api/cafe-requests/{spam.id}/reject", json={"reason": "не кафе"}, headers=office.manager
    )
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["reason"]) == ("rejected", "не кафе")

    listed = client.get("/api/cafe-requests", headers=office.manager).json()
    assert {r["chat_id"]: r["status"] for r in listed} == {-100123: "approved", -100999: "rejected"}
    again = client.post(
        f"/api/cafe-requests/{kitchen.id}/reject", json={"reason": "x"}, headers=office.manager
    )
    assert (again.status_code, again.json()["error"]["code"]) == (400, "invalid_request")
    wait_for(lambda: client.get("/api/cafes", headers=office.manager).json()[0]["linked"] is True)


def test_dispatch_log_of_a_cafe(client: TestClient[Any], store: EventStore) -> None:
    """A recorded dispatch shows in the cafe's log for its date, with its text."""
    office = seed(client)
    cafe_id = uuid.UUID(office.cafe_id)
    version = store.load(cafe_id)[-1][0]
    logged = ev.DispatchLogged(
        at=NOW, actor=ev.SYSTEM, cafe_id=cafe_id, date=TODAY, text="<b>Пельменная</b>"
    )
    store.append([(cafe_id, version + 1, logged)])
    path = f"/api/cafes/{office.cafe_id}/dispatches"

    found = wait_for(
        lambda: client.get(path, params={"date": TODAY.isoformat()}, headers=office.manager).json()
    )

    assert found == [
        {
            "date": "2026-11-26",
            "status": "logged",
            "sent_at": "2026-11-26T06:00:00Z",
            "acknowledged_at": None,
            "text": "<b>Пельменная</b>",
            "error": None,
        }
    ]
    other_day = client.get(path, params={"date": "2026-11-25"}, headers=office.manager)
    assert other_day.json() == []
    assert client.get(path, headers=login(client, AUDITOR)).status_code == 403
    metrics = client.get("/metrics").text
    assert 'lunch_projection_lag_seconds{projection="dispatches"}' in metrics


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/reports/cafe-day", {"date": "2026-11-26"}, None),
        ("/api/reports/cafe-day", {"cafe_id": "nope", "date": "2026-11-26"}, "cafe_id"),
        ("/api/reports/cafe-day", {"cafe_id": str(uuid.uuid4()), "date": "2026-13-01"}, "date"),
        (
            "/api/reports/cafe-day",
            {"cafe_id": str(uuid.uuid4()), "date": "2026-11-26", "format": "xml"},
            "format",
        ),
        (
            "/api/reports/cafe-day",
            {"cafe_id": str(uuid.uuid4()), "date": "2026-11-26", "as_of": "2026-11-26T10:00:00"},
            "as_of",
        ),
        (
            "/api/reports/cafe-day",
            {"cafe_id": str(uuid.uuid4()), "date": "2026-11-26", "as_of": "9999-12-31T23:59:59Z"},
            "as_of",
        ),
        ("/api/reports/cafe-day", {"cafe_id": str(uuid.uuid4()), "date": "0001-01-01"}, "date"),
        ("/api/reports/period", {"from": "0001-01-01", "to": "0001-01-02"}, "from"),
        ("/api/reports/period", {"from": "2026-11-27", "to": "2026-11-26"}, "to"),
        ("/api/reports/period", {"from": "2025-01-01", "to": "2026-11-26"}, "to"),
        ("/api/reports/period", {"to": "2026-11-26"}, None),
        ("/api/cafe-requests", {"status": "maybe"}, "status"),
        (f"/api/cafes/{uuid.uuid4()}/dispatches", {"date": "yesterday"}, "date"),
    ],
)
def test_bad_report_input_is_invalid_request(
    write_client: TestClient[Any], path: str, params: dict[str, str], field: str | None
) -> None:
    """Malformed, missing or out-of-range parameters answer 400 naming the field."""
    response = write_client.get(path, params=params, headers=login(write_client, MANAGER))
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    if field is not None:
        assert error["details"]["field"] == field


def test_unknown_things_are_404_and_roles_are_checked(write_client: TestClient[Any]) -> None:
    """Unknown cafes and requests are 404; employees may not read reports."""
    seed(write_client, read_side=False)
    manager = login(write_client, MANAGER)
    unknown = str(uuid.uuid4())
    cafe_day = {"cafe_id": unknown, "date": "2026-11-26"}
    assert (
        write_client.get("/api/reports/cafe-day", params=cafe_day, headers=manager).status_code
        == 404
    )
    assert write_client.get(f"/api/cafes/{unknown}/dispatches", headers=manager).status_code == 404
    approve = write_client.post(
        f"/api/cafe-requests/{unknown}/approve", json={"cafe_id": unknown}, headers=manager
    )
    assert approve.status_code == 404, approve.text
    bad_body = write_client.post(
        f"/api/cafe-requests/{unknown}/approve", json={"cafe": unknown}, headers=manager
    )
    assert bad_body.status_code == 400
    employee = login(write_client, EMPLOYEE)
    period = {"from": "2026-11-26", "to": "2026-11-26"}
    assert (
        write_client.get("/api/reports/period", params=period, headers=employee).status_code == 403
    )
    assert (
        write_client.get("/api/reports/period", params=period, headers=manager).json()["cafes"]
        == []
    )
