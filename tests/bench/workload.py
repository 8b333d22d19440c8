"""The office the service benchmarks order in: many employees, the demo cafes, future dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import msgspec

from tests.bench.stack import Stack

FIRST_EMPLOYEE = 500_000
# Order dates from tomorrow on, a share for each load that places orders: distinct
# (employee, date) pairs, so no placement meets an earlier one.
DATES = 48
B1_DATES, B2_DATES, RUSH_DATES = slice(0, 20), slice(20, 40), slice(40, 48)


class Office(msgspec.Struct, frozen=True):
    employees: list[int]
    cafe_id: str
    order_body: str  # JSON with @DATE@ where the date goes
    dates: list[str]

    def tokens(self, stack: Stack) -> list[str]:
        return [stack.token(tg_id) for tg_id in self.employees]


def import_employees(stack: Stack, count: int) -> list[int]:
    """Add ``count`` employees with a limit no benchmark reaches, through the HTTP import."""
    ids = list(range(FIRST_EMPLOYEE, FIRST_EMPLOYEE + count))
    rows = ["tg_id,name,office,role,monthly_limit"]
    rows += [f"{i},Bench {i},HQ,employee,1000000000" for i in ids]
    with stack.client() as client:
        answer = client.post(
            "/api/employees/import",
            content="\n".join(rows) + "\n",
            headers={"Content-Type": "text/csv"},
        )
        answer.raise_for_status()
    return ids


def order_body(menu: dict[str, object], date_mark: str = "@DATE@") -> str:
    """A full-lunch order with the first dish of each of its categories."""
    dishes: Sequence[dict[str, object]] = menu["dishes"]  # type: ignore[assignment]
    combos: Sequence[dict[str, object]] = menu["combos"]  # type: ignore[assignment]
    cafe: dict[str, object] = menu["cafe"]  # type: ignore[assignment]
    combo = max(combos, key=lambda c: len(c["categories"]))  # type: ignore[arg-type]
    chosen = {}
    for category in combo["categories"]:  # type: ignore[attr-defined]
        chosen[category] = next(d["id"] for d in dishes if d["category"] == category)
    body = {
        "cafe_id": cafe["id"],
        "date": date_mark,
        "combo_id": combo["id"],
        "dishes": chosen,
        "extras": [],
        "note": "",
    }
    return msgspec.json.encode(body).decode()


def prepare_office(stack: Stack, employees: int) -> Office:
    ids = import_employees(stack, employees)
    with stack.client() as client:
        cafes = client.get("/api/cafes").raise_for_status().json()
        cafe_id = cafes[0]["id"]
        menu = client.get(f"/api/cafes/{cafe_id}/menu").raise_for_status().json()
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)
    dates = [(tomorrow + dt.timedelta(days=d)).isoformat() for d in range(DATES)]
    return Office(ids, cafe_id, order_body(menu), dates)
