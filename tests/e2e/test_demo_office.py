"""The demo office end to end: `lunch run`, dev login, order, change, cancel, close."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from ops.stackenv import read_stack_env
from tests.e2e.stack import LunchRun


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LunchRun]:
    run = LunchRun(tmp_path_factory.mktemp("demo") / "data", demo=True)
    try:
        run.wait_up()
        yield run
    finally:
        run.stop()


def login(client: httpx.Client, tg_id: int) -> dict[str, str]:
    answer = client.post("/api/auth/dev", json={"tg_id": tg_id})
    assert answer.status_code in (200, 201), answer.text
    assert answer.json()["user"]["tg_id"] == tg_id
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def cafes_on(client: httpx.Client, auth: dict[str, str], date: dt.date) -> list[dict[str, Any]]:
    """The demo cafes, once the read model has caught up with the seeded office."""
    deadline = time.monotonic() + 60
    while True:
        cafes = client.get("/api/cafes", params={"date": date.isoformat()}, headers=auth).json()
        if len(cafes) == 3 or time.monotonic() > deadline:
            return list(cafes)
        time.sleep(0.5)


def open_cafe(client: httpx.Client, auth: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """A date and a demo cafe still taking orders for it (today, or tomorrow late at night)."""
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=3))).date()
    for date in (today, today + dt.timedelta(days=1)):
        cafes = cafes_on(client, auth, date)
        assert len(cafes) == 3, cafes
        for cafe in cafes:
            if cafe["ordering_open"]:
                return date.isoformat(), cafe
    raise AssertionError("no demo cafe takes orders today or tomorrow")


def order_body(menu: dict[str, Any], date: str, combo_index: int = 0) -> dict[str, Any]:
    combo = menu["combos"][combo_index]
    dishes = {
        category: next(d["id"] for d in menu["dishes"] if d["category"] == category)
        for category in combo["categories"]
    }
    extra = menu["extras"][0]
    return {
        "cafe_id": menu["cafe"]["id"],
        "date": date,
        "combo_id": combo["id"],
        "dishes": dishes,
        "extras": [{"extra_id": extra["id"], "qty": 2}],
        "note": "no onions",
    }


def test_an_order_travels_from_http_to_the_read_model_and_closes(stack: LunchRun) -> None:
    """Place → mine at once → change → cancel → place anew → close → refused; events stored."""
    with httpx.Client(base_url=stack.url, timeout=20) as client:
        manager, employee = login(client, 1001), login(client, 2001)
        date, cafe = open_cafe(client, employee)
        menu = client.get(f"/api/cafes/{cafe['id']}/menu", params={"date": date}, headers=employee)
        assert menu.status_code == 200, menu.text
        body = order_body(menu.json(), date)

        placed = client.post("/api/orders", json=body, headers=employee)
        assert placed.status_code == 201, placed.text
        order = placed.json()
        extra_price = menu.json()["extras"][0]["price"]
        assert order["total"] == menu.json()["combos"][0]["price"] + 2 * extra_price
        mine = client.get("/api/orders/mine", headers=employee).json()
        assert [o["id"] for o in mine if o["status"] == "placed"] == [order["id"]]

        changed = client.put(
            f"/api/orders/{order['id']}", json=order_body(menu.json(), date, 1), headers=employee
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["combo_id"] == menu.json()["combos"][1]["id"]
        cancelled = client.delete(f"/api/orders/{order['id']}", headers=employee)
        assert cancelled.status_code == 200
        assert cancelled.json()["status"] == "cancelled"
        again = client.post("/api/orders", json=body, headers=employee)
        assert again.status_code == 201
        assert again.json()["id"] == order["id"]
        mine = client.get("/api/orders/mine", headers=employee).json()
        assert [(o["id"], o["status"], o["total"]) for o in mine] == [
            (order["id"], "placed", order["total"])
        ]

        closed = client.post(f"/api/cafes/{cafe['id']}/close", json={"date": date}, headers=manager)
        assert closed.status_code in (200, 201), closed.text
        refusals = [
            client.post("/api/orders", json=body, headers=login(client, 2002)),
            client.put(f"/api/orders/{order['id']}", json=body, headers=employee),
            client.delete(f"/api/orders/{order['id']}", headers=employee),
        ]
        for refused in refusals:
            assert refused.status_code == 400, refused.text
            assert refused.json()["error"]["code"] == "ordering_closed"

    database_url = read_stack_env(stack.data_dir)["DATABASE_URL"]
    with psycopg.connect(database_url) as conn:
        topics = [
            row[0]
            for row in conn.execute(
                "SELECT topic FROM stored_events WHERE originator_id = %s"
                " ORDER BY originator_version",
                (order["id"],),
            )
        ]
        status = conn.execute("SELECT status FROM read.orders WHERE order_id = %s", (order["id"],))
        assert status.fetchone() == ("placed",)
    assert topics == ["Order.Placed", "Order.Changed", "Order.Cancelled", "Order.Placed"]
