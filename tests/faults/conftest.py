"""Fault-suite fixtures: the fake Bot API every stack's notifier talks to, and the figures
each case records, printed at the end of the run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_thread import FakeTelegramThread
from tests.faults.figures import FIGURES, start_afresh


@pytest.fixture(scope="session", autouse=True)
def _fresh_figures() -> None:
    start_afresh()


@pytest.fixture
def telegram() -> Iterator[tuple[FakeTelegramThread, FakeTelegram]]:
    thread = FakeTelegramThread()
    with thread as fake:
        yield thread, fake


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES.exists() and (lines := FIGURES.read_text().splitlines()):
        terminalreporter.section(f"fault figures ({FIGURES.name})")
        for line in lines:
            terminalreporter.write_line(line)
