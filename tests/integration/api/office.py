"""A small office set up through the API itself: one cafe with a menu, combos and a schedule."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tests.integration.api.conftest import MANAGER, login, wait_for

ROSTER = (
    "\ufefftg_id,name,office,role\n"
    "2001,Анна Петрова,HQ,employee\n"
    "2002,Борис,HQ,\n"
    "3001,Вера,HQ,auditor\n"
)


@dataclass(frozen=True)
class Office:
    cafe_id: str
    full: str  # combo: salad + soup + main
    light: str  # combo: salad + main
    dishes: dict[str, str]  # name -> id
    extras: dict[str, str]  # name -> id
    manager: dict[str, str]  # auth headers


def seed(client: httpx.Client, *, read_side: bool = True) -> Office:
    manager = login(client, MANAGER)
    cafe = client.post(
        "/api/cafes", json={"name": "Пельменная", "timezone": "Europe/Moscow"}, headers=manager
    )
    assert cafe.status_code == 201, cafe.text
    cafe_id = cafe.json()["id"]
    menu = client.put(
        f"/api/cafes/{cafe_id}/menu",
        json={
            "dishes": [
                {"name": "Оливье", "category": "salad", "price": 15000},
                {"name": "Цезарь", "category": "salad", "price": 18000},
                {"name": "Борщ", "category": "soup", "price": 20000},
                {"name": "Пельмени", "category": "main", "price": 30000},
                {"name": "Котлета", "category": "main", "price": 28000},
            ],
            "extras": [{"name": "Морс", "price": 5000}, {"name": "Хлеб", "price": 1000}],
        },
        headers=manager,
    )
    assert menu.status_code == 200, menu.text
    combos = client.put(
        f"/api/cafes/{cafe_id}/combos",
        json={
            "combos": [
                {"name": "Полный", "price": 45000, "categories": ["salad", "soup", "main"]},
                {"name": "Лёгкий", "price": 35000, "categories": ["salad", "main"]},
            ]
        },
        headers=manager,
    )
    assert combos.status_code == 200, combos.text
    schedule = client.put(
        f"/api/cafes/{cafe_id}/schedule",
        json={"weekdays": [0, 1, 2, 3, 4], "cutoff": "11:00"},
        headers=manager,
    )
    assert schedule.status_code == 200, schedule.text
    imported = client.post(
        "/api/employees/import",
        content=ROSTER.encode(),
        headers={**manager, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"added": 3, "updated": 0, "errors": []}
    # Kafka consumer groups of a fresh topic take a few seconds to form, longer than a read
    # waits for its own writes; once the manager sees the cafe scheduled, everyone does.
    if read_side:
        wait_for(
            lambda: (
                [c["cutoff"] for c in client.get("/api/cafes", headers=manager).json()] == ["11:00"]
            )
        )
    body = combos.json()
    by_name = {c["name"]: c["id"] for c in body["combos"]}
    return Office(
        cafe_id=cafe_id,
        full=by_name["Полный"],
        light=by_name["Лёгкий"],
        dishes={d["name"]: d["id"] for d in body["dishes"]},
        extras={e["name"]: e["id"] for e in body["extras"]},
        manager=manager,
    )
