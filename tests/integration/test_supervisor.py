"""`lunch run` restarts crashed components with backoff and stops them all on exit."""

from __future__ import annotations

import os
import sys
import time

from ops.supervisor import Supervisor


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def wait_exit(supervisor: Supervisor, name: str) -> None:
    proc = supervisor.children[name].proc
    assert proc is not None
    proc.wait(10)


def test_crashed_child_is_restarted_after_a_growing_backoff() -> None:
    """A child that exits with an error comes back after 1 s, then 2 s, then 4 s."""
    clock = FakeClock()
    supervisor = Supervisor({"worker": python("raise SystemExit(1)")}, os.environ, clock=clock)
    supervisor.start()
    delays = []
    for _ in range(3):
        wait_exit(supervisor, "worker")
        supervisor.tick()
        child = supervisor.children["worker"]
        assert child.proc is None
        assert child.restart_at is not None
        delays.append(child.restart_at - clock.now)
        clock.now = child.restart_at
        supervisor.tick()
        assert child.proc is not None
    supervisor.stop()
    assert delays == [1.0, 2.0, 4.0]


def test_backoff_resets_after_a_stable_run() -> None:
    """A child that ran for a while before crashing restarts after the shortest delay."""
    clock = FakeClock()
    supervisor = Supervisor({"worker": python("raise SystemExit(1)")}, os.environ, clock=clock)
    supervisor.children["worker"].failures = 5
    supervisor.start()
    wait_exit(supervisor, "worker")
    clock.now += 60
    supervisor.tick()
    assert supervisor.children["worker"].restart_at == clock.now + 1.0
    supervisor.stop()


def test_unavailable_child_is_not_restarted() -> None:
    """Exit code 2 means the component cannot run here: it is left stopped."""
    supervisor = Supervisor({"absent": python("raise SystemExit(2)")}, os.environ)
    supervisor.start()
    wait_exit(supervisor, "absent")
    supervisor.tick()
    assert supervisor.is_gone("absent")
    assert supervisor.children["absent"].restart_at is None
    supervisor.stop()


def test_stop_terminates_running_children() -> None:
    """stop() ends every child promptly with SIGTERM."""
    supervisor = Supervisor({"sleeper": python("import time; time.sleep(60)")}, os.environ)
    supervisor.start()
    proc = supervisor.children["sleeper"].proc
    assert proc is not None
    started = time.monotonic()
    supervisor.stop(timeout=5)
    assert proc.poll() is not None
    assert time.monotonic() - started < 5
