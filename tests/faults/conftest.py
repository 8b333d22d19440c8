"""Fault-suite fixtures: the fake Bot API every stack's notifier talks to, the usual stack
of component processes, and the figures each case records, printed at the end of the run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_thread import FakeTelegramThread
from tests.faults.figures import FIGURES, start_afresh
from tests.faults.harness import Component, stack_of, started, with_bot

LOADED = time.time()  # figures older than this run are not its own


@pytest.fixture(scope="session", autouse=True)
def _fresh_figures() -> None:
    start_afresh()


@pytest.fixture
def telegram() -> Iterator[tuple[FakeTelegramThread, FakeTelegram]]:
    thread = FakeTelegramThread()
    with thread as fake:
        yield thread, fake


@pytest.fixture
def stack(
    stack_env: dict[str, str],
    telegram: tuple[FakeTelegramThread, FakeTelegram],
    tmp_path: Path,
) -> Iterator[dict[str, Component]]:
    """relay, projector, api and notifier (talking to the fake Bot API), started; stopped after."""
    fake = telegram[1]
    components = started(stack_of(with_bot(stack_env, fake), tmp_path))
    yield components
    for component in components.values():
        component.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES.exists() or FIGURES.stat().st_mtime < LOADED:
        return
    if lines := FIGURES.read_text().splitlines():
        terminalreporter.section(f"fault figures ({FIGURES.name})")
        for line in lines:
            terminalreporter.write_line(line)
