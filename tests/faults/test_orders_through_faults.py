"""kill -9 of the relay, the projector or the API, and the broker restarted empty, while
employees place orders: every order the API accepted is in the read models exactly once,
nothing was refused, the day's dispatch goes out once and equals the sheet, and
`lunch audit verify` finds the log and the read models sound."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_thread import FakeTelegramThread
from tests.faults.flow import day_end, open_office, orders_flow
from tests.faults.harness import Component, Tally, base_url, stack_of, started, with_bot
from tests.integration.kafka_side import RestartableTansu

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]
EMPLOYEES = 45
Telegram = tuple[FakeTelegramThread, FakeTelegram]


def orders_through(
    stack: dict[str, Component],
    thread: FakeTelegramThread,
    data_dir: Path,
    what: str,
    strike: Callable[[], None],
) -> Tally:
    """Employees place orders; ``strike`` hits once a third are in; then the day ends."""
    env = stack["api"].env
    with httpx.Client(base_url=base_url(stack), timeout=30) as client:
        case = open_office(client, thread, EMPLOYEES)
        tally = orders_flow(case, strike)
        day_end(
            case,
            env,
            data_dir,
            what,
            len(tally.accepted),
            refused=len(tally.refused),
            after_strike=tally.after_strike,
            lost_answers=tally.lost_answers,
        )
    assert len(tally.accepted) == EMPLOYEES
    assert not tally.refused
    return tally


@pytest.mark.parametrize("victim", ["relay", "projector", "api"])
def test_kill_9_while_orders_flow_loses_and_doubles_nothing(
    stack: dict[str, Component], telegram: Telegram, tmp_path: Path, victim: str
) -> None:
    """SIGKILL one component a third of the way in and start it again: nothing lost,
    nothing doubled, one dispatch, audit clean."""

    def strike() -> None:
        stack[victim].kill()
        time.sleep(1.5)
        stack[victim].start()

    tally = orders_through(stack, telegram[0], tmp_path, f"kill -9 {victim}", strike)
    if victim == "api":
        assert tally.lost_answers > 0, "the api was down while orders were placed"


@pytest.fixture
def broker() -> Iterator[RestartableTansu]:
    tansu = RestartableTansu()
    tansu.start()
    yield tansu
    tansu.stop()


def test_the_broker_restarted_empty_while_orders_flow_loses_nothing(
    stack_env: dict[str, str], broker: RestartableTansu, telegram: Telegram, tmp_path: Path
) -> None:
    """Tansu keeps nothing: relay, projector and notifier reconcile from their positions
    in PostgreSQL."""
    env = with_bot({**stack_env, "KAFKA_BOOTSTRAP_SERVERS": broker.url}, telegram[1])
    components = started(stack_of(env, tmp_path))

    def strike() -> None:
        broker.stop()
        broker.start()

    try:
        orders_through(components, telegram[0], tmp_path, "broker restarted empty", strike)
    finally:
        for component in components.values():
            component.stop()
