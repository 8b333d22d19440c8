"""Deadline load: 500 employees place, change and cancel in the last seconds before a
cutoff while `lunch serve clock` closes it. The cutoff is the next whole minute of the real
clock (a cutoff is HH:MM) and the storm is the last WINDOW seconds before it, running on
a few seconds past it, with the clock's grace shortened to 6 s. Zero lost, zero accepted
after the cutoff, nothing refused changed anything, and the dispatch goes out once,
equal to the final sheet."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import psycopg
import pytest

from commands.executor import utc_now
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_thread import FakeTelegramThread
from tests.faults import day as end
from tests.faults.figures import record
from tests.faults.flow import Case, open_office, sheet
from tests.faults.harness import Component, base_url, stack_of, started, with_bot

pytestmark = [pytest.mark.faults, pytest.mark.long, pytest.mark.timeout(900)]
EMPLOYEES = 500
WINDOW = 20.0  # seconds of load before the cutoff
AFTER = 3.0  # employees still starting this long after it
LEAD = WINDOW + 10  # the least time between choosing the cutoff and the storm
MOSCOW = ZoneInfo("Europe/Moscow")
Telegram = tuple[FakeTelegramThread, FakeTelegram]


@pytest.fixture
def stack(
    stack_env: dict[str, str], telegram: Telegram, tmp_path: Path
) -> Iterator[dict[str, Component]]:
    env = with_bot({**stack_env, "LUNCH_CLOCK_GRACE_SECONDS": "6"}, telegram[1])
    components = started(stack_of(env, tmp_path, ("relay", "projector", "api", "notifier")))
    # Not started yet: at its start the clock closes every day whose cutoff has passed, and
    # past the seeded cafe's cutoff that would close today before the test moves it ahead.
    components["clock"] = Component("clock", components["api"].env, tmp_path)
    yield components
    for component in components.values():
        component.stop()


@dataclass
class Employee:
    """One simulated employee's commands, each with when it was sent and what came back."""

    tg_id: int
    headers: dict[str, str]
    start: float  # epoch seconds
    steps: list[str]
    sent: list[tuple[str, float, float, int]] = field(default_factory=list)
    order_id: str | None = None

    def expected(self) -> tuple[str, str] | None:
        """(status, combo) after every accepted command, in order; None if none was."""
        state: tuple[str, str] | None = None
        for step, _, _, status in self.sent:
            if status in (200, 201):
                state = {"place": ("placed", "light"), "change": ("placed", "full")}.get(
                    step, ("cancelled", state[1] if state else "")
                )
        return state


def cutoff_ahead() -> dt.datetime:
    """The next whole minute at least LEAD seconds away, in the cafe's time."""
    now = utc_now().astimezone(MOSCOW) + dt.timedelta(seconds=LEAD)
    return now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def storm(case: Case, people: list[Employee]) -> None:
    """Every employee's commands at their own moment, all at once (one task each), so a
    slow answer delays only that employee, as in an office."""
    bodies = {"place": case.body(), "change": full_body(case)}

    async def act(client: httpx.AsyncClient, person: Employee) -> None:
        await asyncio.sleep(max(0.0, person.start - time.time()))
        for step in person.steps:
            if step != "place" and person.order_id is None:
                return
            sent = time.time()
            if step == "place":
                answer = await client.post("/api/orders", json=bodies[step], headers=person.headers)
                if answer.status_code == 201:
                    person.order_id = answer.json()["id"]
            elif step == "change":
                url = f"/api/orders/{person.order_id}"
                answer = await client.put(url, json=bodies[step], headers=person.headers)
            else:
                url = f"/api/orders/{person.order_id}"
                answer = await client.delete(url, headers=person.headers)
            person.sent.append((step, sent, time.time(), answer.status_code))
            assert answer.status_code < 500, answer.text
            assert answer.status_code in (200, 201) or (
                answer.json()["error"]["code"] == "ordering_closed"
            ), answer.text

    async def everyone() -> None:
        # A connection each request, as separate phones would: a reused keep-alive connection
        # can meet the server closing it as idle, which no client could tell from a fault.
        limits = httpx.Limits(max_connections=len(people), max_keepalive_connections=0)
        async with (
            httpx.AsyncClient(base_url=case.client.base_url, timeout=120, limits=limits) as client,
            asyncio.TaskGroup() as tasks,
        ):
            for person in people:
                tasks.create_task(act(client, person))

    asyncio.run(everyone())


def full_body(case: Case) -> dict[str, Any]:
    dishes = case.office.dishes
    return {
        **case.body(),
        "combo_id": case.office.full,
        "dishes": {"salad": dishes["Цезарь"], "soup": dishes["Борщ"], "main": dishes["Пельмени"]},
    }


def read_orders(database_url: str, cafe_id: str, day: str) -> dict[int, tuple[str, str, Any]]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT tg_id, status, combo_id::text, updated_at FROM read.orders"
            " WHERE cafe_id = %s AND date = %s",
            [cafe_id, day],
        ).fetchall()
    return {int(r[0]): (r[1], r[2], r[3]) for r in rows}


def test_500_employees_at_the_deadline_lose_nothing_and_none_gets_in_late(
    stack: dict[str, Component], telegram: Telegram, tmp_path: Path
) -> None:
    """Every accepted command is in the read models, none was accepted after the cutoff,
    the clock closes the day, and its one dispatch is the final sheet."""
    rng = random.Random(14)
    with httpx.Client(base_url=base_url(stack), timeout=60) as client:
        case = open_office(client, telegram[0], EMPLOYEES)
        tokens = {
            tg_id: client.post("/api/auth/dev", json={"tg_id": tg_id}).json()["token"]
            for tg_id in case.staff
        }
        cutoff = cutoff_ahead()
        case.day = cutoff.date().isoformat()
        schedule = client.put(
            f"/api/cafes/{case.office.cafe_id}/schedule",
            json={"weekdays": list(range(7)), "cutoff": cutoff.strftime("%H:%M")},
            headers=case.office.manager,
        )
        assert schedule.status_code == 200, schedule.text
        stack["clock"].start()
        edge = cutoff.timestamp()
        people = [
            Employee(
                tg_id,
                {"Authorization": f"Bearer {tokens[tg_id]}"},
                start=rng.uniform(edge - WINDOW, edge + AFTER),
                steps=["place"]
                + (["change"] if rng.random() < 0.5 else [])
                + (["cancel"] if rng.random() < 0.2 else []),
            )
            for tg_id in case.staff
        ]
        storm(case, people)
        dispatched = end.outcome(client, case.office, case.day, telegram[0], within=180)
        final = sheet(client, case.office, case.day)
        rows = read_orders(stack["api"].env["DATABASE_URL"], case.office.cafe_id, case.day)
        audit = end.audit_verify(stack["api"].env, tmp_path)

    combos = {"light": case.office.light, "full": case.office.full}
    expected = {p.tg_id: e for p in people if (e := p.expected()) is not None}
    commands = [s for p in people for s in p.sent]
    accepted = [s for s in commands if s[3] in (200, 201)]
    refused = [s for s in commands if s[3] not in (200, 201)]
    late = [s for s in accepted if s[1] > edge]
    placed = sum(1 for status, _ in expected.values() if status == "placed")
    lost = [
        tg
        for tg, (status, combo) in expected.items()
        if rows.get(tg, ("", "", None))[:2] != (status, combos[combo])
    ]
    record(
        "deadline load (500 employees)",
        accepted=len(accepted),
        in_read_models=len(rows),
        on_sheet=final["orders_count"],
        dispatched=dispatched.first_copies,
        sent_twice=dispatched.sent_twice,
        refused=len(refused),
        lost=len(lost),
        accepted_sent_after_cutoff=len(late),
        refused_sent_before_cutoff=sum(s[1] <= edge for s in refused),
        placed_at_close=placed,
        places=sum(s[0] == "place" for s in accepted),
        changes=sum(s[0] == "change" for s in accepted),
        cancels=sum(s[0] == "cancel" for s in accepted),
        audit_events=audit["checked_events"],
    )
    assert not lost, lost[:10]
    assert set(rows) == set(expected), "a refused command changed nothing"
    assert not late
    assert max(updated for _, _, updated in rows.values()) <= cutoff
    assert refused, "the storm reached past the cutoff"
    assert final["orders_count"] == placed
    assert dispatched.status == "sent"
    assert (dispatched.first_copies, dispatched.repeats) == (1, 0)
    end.assert_equals_sheet(dispatched, final)
