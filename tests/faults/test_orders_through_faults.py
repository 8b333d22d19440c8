"""kill -9 of the relay, the projector or the API, and the broker restarted empty, while
employees place orders: every order the API accepted is in the read models exactly once,
and nothing was refused."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from commands.executor import utc_now
from tests.faults.harness import (
    Component,
    Tally,
    answers,
    hire,
    next_weekday,
    place,
    stack_of,
    wait_until,
)
from tests.integration.api.office import Office, seed
from tests.integration.kafka_side import RestartableTansu

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]
EMPLOYEES = 45
PLACERS = 4


def started(components: dict[str, Component]) -> dict[str, Component]:
    for name in ("relay", "projector", "api"):
        components[name].start()
        time.sleep(1)  # relay and projector both create a shared table on start
    return components


@pytest.fixture
def stack(stack_env: dict[str, str], tmp_path: Path) -> Iterator[dict[str, Component]]:
    components = started(stack_of(stack_env, tmp_path))
    yield components
    for component in components.values():
        component.stop()


def base_url(stack: dict[str, Component]) -> str:
    return f"http://127.0.0.1:{stack['api'].env['LUNCH_HTTP_PORT']}"


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


def orders_through(
    stack: dict[str, Component], database_url: str, what: str, strike: Callable[[], None]
) -> None:
    """Employees place orders; ``strike`` hits once a third are in; then every accepted
    order must be in the read models exactly once and nothing refused."""
    url = base_url(stack)
    wait_until(lambda: answers(url), "the api")
    with httpx.Client(base_url=url, timeout=30) as client:
        office = seed(client)
        staff = hire(client, EMPLOYEES)
        day = next_weekday(utc_now()).isoformat()
        body = {
            "cafe_id": office.cafe_id,
            "date": day,
            "combo_id": office.light,
            "dishes": {"salad": office.dishes["Оливье"], "main": office.dishes["Котлета"]},
        }
        tally = Tally()
        with ThreadPoolExecutor(PLACERS) as placers:
            done = [placers.submit(place, client, tg_id, body, tally) for tg_id in staff]
            wait_until(lambda: len(tally.accepted) >= EMPLOYEES // 3, "a third of the orders")
            strike()
            for future in done:
                future.result()
        wait_until(lambda: answers(url), "the api again")
        accepted = len(tally.accepted)
        wait_until(lambda: sheet(client, office, day)["orders_count"] >= accepted, "the read side")
        report = sheet(client, office, day)
        placed = in_read_models(database_url, office.cafe_id, day)
    dish_lines = sum(d["count"] for d in report["dishes"])
    print(
        f"FIGURES {what}: accepted={accepted} in_read_models={placed}"
        f" sheet_orders={report['orders_count']} dish_lines={dish_lines}"
        f" refused={len(tally.refused)} lost_answers={tally.lost_answers}"
    )
    assert accepted == EMPLOYEES
    assert not tally.refused
    assert placed == accepted
    assert report["orders_count"] == accepted
    assert dish_lines == 2 * accepted


@pytest.mark.parametrize("victim", ["relay", "projector", "api"])
def test_kill_9_while_orders_flow_loses_and_doubles_nothing(
    stack: dict[str, Component], stack_env: dict[str, str], victim: str
) -> None:
    def strike() -> None:
        stack[victim].kill()
        time.sleep(1.5)
        stack[victim].start()

    orders_through(stack, stack_env["DATABASE_URL"], f"kill -9 {victim}", strike)


@pytest.fixture
def broker() -> Iterator[RestartableTansu]:
    tansu = RestartableTansu()
    tansu.start()
    yield tansu
    tansu.stop()


def test_the_broker_restarted_empty_while_orders_flow_loses_nothing(
    stack_env: dict[str, str], broker: RestartableTansu, tmp_path: Path
) -> None:
    """Tansu keeps nothing: relay and projector reconcile from their positions in PostgreSQL."""
    env = {**stack_env, "KAFKA_BOOTSTRAP_SERVERS": broker.url}
    components = started(stack_of(env, tmp_path))

    def strike() -> None:
        broker.stop()
        broker.start()

    try:
        orders_through(components, env["DATABASE_URL"], "broker restarted empty", strike)
    finally:
        for component in components.values():
            component.stop()
