"""Scale-out: two API processes and two projector instances (one consumer group per
projection, its partitions shared between them) over one store and one broker. One
projector is killed with SIGKILL while orders flow through both APIs: the other takes
over its partitions, and nothing is lost or applied twice."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ops.embedded import free_port
from projections.engine.projector import group_id
from projections.models.catalogue import ALL
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_thread import FakeTelegramThread
from tests.faults.flow import day_end, open_office, orders_flow
from tests.faults.harness import Component, base_url, stack_of, started, wait_until, with_bot

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]
EMPLOYEES = 60
PARTITIONS = 4
Telegram = tuple[FakeTelegramThread, FakeTelegram]


@pytest.fixture
def stack(
    stack_env: dict[str, str], telegram: Telegram, tmp_path: Path
) -> Iterator[dict[str, Component]]:
    env = with_bot(
        {**stack_env, "LUNCH_HTTP_WORKERS": "1", "KAFKA_PARTITIONS": str(PARTITIONS)},
        telegram[1],
    )
    components = stack_of(env, tmp_path)
    base = components["api"].env
    components["projector-2"] = Component("projector", base, tmp_path, label="projector-2")
    components["api-2"] = Component(
        "api", {**base, "LUNCH_HTTP_PORT": str(free_port())}, tmp_path, label="api-2"
    )
    started(components)
    components["projector-2"].start()
    components["api-2"].start()
    yield components
    for component in components.values():
        component.stop()


def assignments(component: Component) -> dict[str, list[int]]:
    """Each consumer group's latest partition assignment, from the process's log."""
    latest: dict[str, list[int]] = {}
    for line in component.log_path.read_text(errors="replace").splitlines():
        if '"partitions.assigned"' in line:
            entry = json.loads(line)
            latest[entry["group"]] = entry["partitions"]
    return latest


def shared(one: Component, other: Component, prefix: str) -> bool:
    """Every projection's group has partitions on both instances, none on both."""
    a, b = assignments(one), assignments(other)
    groups = [group_id(prefix, p.name) for p in ALL]
    return all(
        a.get(g) and b.get(g) and sorted(a[g] + b[g]) == list(range(PARTITIONS)) for g in groups
    )


def test_one_of_two_projectors_killed_the_other_takes_over(
    stack: dict[str, Component], telegram: Telegram, tmp_path: Path
) -> None:
    """Partitions are shared, orders go through both APIs, projector 1 is killed and
    stays dead: projector 2 ends with every partition, and every order is applied once."""
    prefix = stack["api"].env["KAFKA_TOPIC_PREFIX"]
    first, second = stack["projector"], stack["projector-2"]
    urls = [base_url(stack), f"http://127.0.0.1:{stack['api-2'].env['LUNCH_HTTP_PORT']}"]
    with (
        httpx.Client(base_url=urls[0], timeout=30) as one,
        httpx.Client(base_url=urls[1], timeout=30) as two,
    ):
        case = open_office(one, telegram[0], EMPLOYEES)
        wait_until(lambda: shared(first, second, prefix), "both projectors to share", 120)
        before = {"projector-1": assignments(first), "projector-2": assignments(second)}
        killed_at: list[float] = []

        def strike() -> None:
            first.kill()
            killed_at.append(time.monotonic())

        tally = orders_flow(case, strike, clients=[one, two])
        groups = [group_id(prefix, p.name) for p in ALL]
        wait_until(
            lambda: all(assignments(second).get(g) == list(range(PARTITIONS)) for g in groups),
            "projector 2 to hold every partition",
            120,
        )
        took_over = time.monotonic() - killed_at[0]
        day_end(
            case,
            stack["api"].env,
            tmp_path,
            "scale-out, kill -9 one of two projectors",
            len(tally.accepted),
            refused=len(tally.refused),
            after_strike=tally.after_strike,
            lost_answers=tally.lost_answers,
            partitions_before=f"{len(before['projector-1'][groups[0]])}+"
            f"{len(before['projector-2'][groups[0]])}",
            takeover_seconds=round(took_over, 1),
        )
    assert len(tally.accepted) == EMPLOYEES
    assert not tally.refused
