"""One fault case's office day over real processes: seed and link the office, employees
place orders while ``strike`` hits, then close the day and check everything the suite
promises: every accepted order in the read models once, the dispatch sent once and equal
to the sheet, `lunch audit verify` clean; the figures are recorded."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg

from commands.executor import utc_now
from tests.fakes.telegram_thread import FakeTelegramThread
from tests.faults import day as end
from tests.faults.figures import record
from tests.faults.harness import Tally, answers, hire, next_weekday, place, wait_until
from tests.integration.api.office import Office, seed


@dataclass
class Case:
    client: httpx.Client
    office: Office
    staff: list[int]
    day: str
    thread: FakeTelegramThread

    def body(self, day: str | None = None) -> dict[str, Any]:
        dishes = self.office.dishes
        return {
            "cafe_id": self.office.cafe_id,
            "date": day or self.day,
            "combo_id": self.office.light,
            "dishes": {"salad": dishes["Оливье"], "main": dishes["Котлета"]},
        }


def open_office(
    client: httpx.Client, thread: FakeTelegramThread, employees: int, day: str | None = None
) -> Case:
    wait_until(lambda: answers(str(client.base_url).rstrip("/")), "the api")
    office = seed(client)
    staff = hire(client, employees)
    end.link(client, office, thread)
    return Case(client, office, staff, day or next_weekday(utc_now()).isoformat(), thread)


def orders_flow(
    case: Case,
    strike: Callable[[], None],
    *,
    placers: int = 4,
    pace: float = 0.2,
    clients: Sequence[httpx.Client] = (),
) -> Tally:
    """Every employee places the day's order (round robin over ``clients`` if given);
    ``strike`` runs once a third are accepted."""
    tally = Tally()
    pool = list(clients) or [case.client]
    body = case.body()

    def paced(n: int, tg_id: int) -> None:
        time.sleep(pace)  # employees come one after another, not all in one instant
        place(pool[n % len(pool)], tg_id, body, tally)

    with ThreadPoolExecutor(placers) as workers:
        done = [workers.submit(paced, n, tg_id) for n, tg_id in enumerate(case.staff)]
        wait_until(lambda: len(tally.accepted) >= len(case.staff) // 3, "a third of the orders")
        at_strike = len(tally.accepted)
        strike()
        for future in done:
            future.result()
    tally.after_strike = len(tally.accepted) - at_strike
    assert tally.after_strike > 0, "the fault struck while orders still flowed"
    return tally


def in_read_models(database_url: str, cafe_id: str, day: str) -> int:
    """Placed orders of the cafe-day in the orders view."""
    with psycopg.connect(database_url) as conn:
        placed = conn.execute(
            "SELECT count(*) FROM read.orders WHERE cafe_id = %s AND date = %s"
            " AND status = 'placed'",
            [cafe_id, day],
        ).fetchone()
    return int(placed[0]) if placed else 0


def sheet(client: httpx.Client, office: Office, day: str) -> dict[str, Any]:
    answer = client.get(
        "/api/reports/cafe-day",
        params={"cafe_id": office.cafe_id, "date": day},
        headers=office.manager,
    )
    assert answer.status_code == 200, answer.text
    report: dict[str, Any] = answer.json()
    return report


def day_end(
    case: Case,
    env: dict[str, str],
    data_dir: Path,
    what: str,
    accepted: int,
    *,
    close: bool = True,
    **figures: object,
) -> end.Dispatched:
    """The read side holds ``accepted`` orders once; the day closes and is dispatched once,
    equal to its sheet; audit verify is clean. Records the case's figures."""
    client, office, day = case.client, case.office, case.day
    wait_until(lambda: answers(str(client.base_url).rstrip("/")), "the api again")
    wait_until(lambda: sheet(client, office, day)["orders_count"] >= accepted, "the read side")
    if close:
        end.close(client, office, day)
    dispatched = end.outcome(client, office, day, case.thread)
    report = sheet(client, office, day)
    placed = in_read_models(env["DATABASE_URL"], office.cafe_id, day)
    audit = end.audit_verify(env, data_dir)
    record(
        what,
        accepted=accepted,
        in_read_models=placed,
        on_sheet=report["orders_count"],
        dispatched=dispatched.first_copies,
        sent_twice=dispatched.sent_twice,
        audit_events=audit["checked_events"],
        **figures,
    )
    assert placed == accepted
    assert report["orders_count"] == accepted
    assert sum(d["count"] for d in report["dishes"]) == 2 * accepted
    assert dispatched.status == "sent", dispatched
    assert dispatched.first_copies == 1
    end.assert_equals_sheet(dispatched, report)
    return dispatched
