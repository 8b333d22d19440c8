"""The demo office over HTTP, for setting the scene and checking what the Mini App did."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import httpx

from tests.e2e.miniapp.telegram import signed_init_data

MOSCOW = dt.timezone(dt.timedelta(hours=3))


def login(client: httpx.Client, tg_id: int) -> dict[str, str]:
    """A bearer token through the Telegram path, as the Mini App gets one."""
    answer = client.post("/api/auth/telegram", json={"init_data": signed_init_data(tg_id)})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def office_today() -> dt.date:
    return dt.datetime.now(MOSCOW).date()


def cafes_on(client: httpx.Client, auth: dict[str, str], date: dt.date) -> list[dict[str, Any]]:
    """The demo cafes on a date, once the read model has caught up with the seeded office."""
    deadline = time.monotonic() + 60
    while True:
        cafes = client.get("/api/cafes", params={"date": date.isoformat()}, headers=auth).json()
        if len(cafes) == 3 or time.monotonic() > deadline:
            return list(cafes)
        time.sleep(0.5)


def open_cafes(client: httpx.Client, auth: dict[str, str]) -> tuple[dt.date, list[dict[str, Any]]]:
    """The first date (today, or tomorrow late at night) with demo cafes taking orders."""
    today = office_today()
    for date in (today, today + dt.timedelta(days=1)):
        cafes = [c for c in cafes_on(client, auth, date) if c["ordering_open"]]
        if cafes:
            return date, cafes
    raise AssertionError("no demo cafe takes orders today or tomorrow")


def menu_of(client: httpx.Client, auth: dict[str, str], cafe_id: str, date: dt.date) -> Any:
    answer = client.get(
        f"/api/cafes/{cafe_id}/menu", params={"date": date.isoformat()}, headers=auth
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def first_choice(menu: dict[str, Any], combo: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The first available dish of each of the combo's categories."""
    return {
        category: next(d for d in menu["dishes"] if d["category"] == category and d["available"])
        for category in combo["categories"]
    }


def rub(minor: int) -> str:
    """How the Mini App writes an amount in Russian: "1 450 ₽" (spaces normalised)."""
    major, cents = divmod(minor, 100)
    whole = f"{major:,}".replace(",", " ")
    return f"{whole} ₽" if cents == 0 else f"{whole},{cents:02d} ₽"


def plain(text: str) -> str:
    """Text with Intl's no-break and narrow spaces as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")
