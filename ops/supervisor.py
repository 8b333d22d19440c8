"""Keeps the components of `lunch run` alive as child processes.

A child that crashes is restarted after an exponential backoff (1 s doubling up to a
minute); the backoff resets once a child has stayed up for a while. A child that exits
with code 2 said it cannot run at all (its component is not available), so it is not
restarted. Children get their own session: Ctrl-C reaches the supervisor only, which then
stops them in order.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

UNAVAILABLE = 2

log = logging.getLogger("lunch.supervisor")


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None
    gone: bool = False


class Supervisor:
    def __init__(
        self,
        commands: Mapping[str, Sequence[str]],
        env: Mapping[str, str],
        *,
        clock: Callable[[], float] = time.monotonic,
        min_backoff: float = 1.0,
        max_backoff: float = 60.0,
        stable_after: float = 30.0,
    ) -> None:
        self.children = {name: Child(name, argv) for name, argv in commands.items()}
        self.env = dict(env)
        self.clock = clock
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.stable_after = stable_after
        # Told the running children's pids after every start, so they can be found later.
        self.on_spawn: Callable[[Mapping[str, int]], None] | None = None

    def start(self) -> None:
        for child in self.children.values():
            self._spawn(child, announce=False)
        # One line for the whole start; restarts get a line each.
        log.info("started %s", ", ".join(f"{name} ({pid})" for name, pid in self.pids().items()))

    def tick(self) -> None:
        """Reap exited children and restart those whose backoff has elapsed."""
        now = self.clock()
        for child in self.children.values():
            if child.gone:
                continue
            if child.proc is not None and (code := child.proc.poll()) is not None:
                child.proc = None
                self._exited(child, code, now)
            if child.proc is None and child.restart_at is not None and now >= child.restart_at:
                self._spawn(child)

    def is_gone(self, name: str) -> bool:
        return self.children[name].gone

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM every child, then SIGKILL whatever is still running after ``timeout``."""
        running = [c for c in self.children.values() if c.proc is not None]
        for child in running:
            child.restart_at = None
            assert child.proc is not None
            child.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in running:
            assert child.proc is not None
            try:
                child.proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop within %.0fs; killing it", child.name, timeout)
                child.proc.kill()
                child.proc.wait()
            log.info("stopped %s (exit code %d)", child.name, child.proc.returncode)
            child.proc = None
            child.gone = True

    def _spawn(self, child: Child, *, announce: bool = True) -> None:
        child.restart_at = None
        child.started_at = self.clock()
        child.proc = subprocess.Popen(
            list(child.argv), env=self.env, stdin=subprocess.DEVNULL, start_new_session=True
        )
        if announce:
            log.info("started %s (pid %d)", child.name, child.proc.pid)
        if self.on_spawn is not None:
            self.on_spawn(self.pids())

    def pids(self) -> dict[str, int]:
        """The running children's pids, by name."""
        return {c.name: c.proc.pid for c in self.children.values() if c.proc is not None}

    def _exited(self, child: Child, code: int, now: float) -> None:
        if code == UNAVAILABLE:
            child.gone = True
            log.warning("%s is not available (exit code 2); not restarting it", child.name)
            return
        if now - child.started_at >= self.stable_after:
            child.failures = 0
        child.failures += 1
        delay = min(self.max_backoff, self.min_backoff * 2 ** (child.failures - 1))
        child.restart_at = now + delay
        log.error(
            "%s exited with code %d; restarting in %.0fs (failure %d in a row)",
            child.name,
            code,
            delay,
            child.failures,
        )
