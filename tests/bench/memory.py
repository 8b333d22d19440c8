"""B7: resident memory of every process of `lunch run`, grouped by what each one runs."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar

import psutil

from tests.bench.stack import Stack

T = TypeVar("T")
MB = 1024 * 1024
COMPONENTS = ("api", "relay", "projector", "notifier", "clock", "recommender")


def label(proc: psutil.Process, root_pid: int) -> str:
    """What a process is: `lunch run` itself, a component (or its worker), a server."""
    try:
        argv = proc.cmdline()
        name = proc.name()
    except psutil.Error:
        return "gone"
    if proc.pid == root_pid:
        return "lunch run (supervisor)"
    if "serve" in argv:
        return argv[argv.index("serve") + 1]
    if any("multiprocessing" in a for a in argv):
        try:
            parent = label(psutil.Process(proc.ppid()), root_pid)
        except psutil.Error:
            parent = "?"
        return f"{parent} worker"
    for server in ("postgres", "redis-server", "tansu"):
        if server in name or any(server in a for a in argv[:1]):
            return server
    return name


def sample(stack: Stack) -> dict[str, tuple[int, int]]:
    """Per label: (processes, total RSS in bytes)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for proc in stack.processes():
        try:
            rss = proc.memory_info().rss
        except psutil.Error:
            continue
        entry = totals[label(proc, stack.proc.pid)]
        entry[0] += 1
        entry[1] += rss
    return {k: (v[0], v[1]) for k, v in totals.items()}


class PeakSampler:
    """Samples in a thread while ``measuring`` (one load's turns); keeps each label's
    highest total."""

    def __init__(self, stack: Stack, every: float = 1.0) -> None:
        self.stack, self.every = stack, every
        self.peak: dict[str, tuple[int, int]] = {}
        self.measuring = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def during(self, run: Callable[[int], T]) -> Callable[[int], T]:
        """``run`` with sampling on while it runs."""

        def sampled(seconds: int) -> T:
            self.measuring.set()
            try:
                return run(seconds)
            finally:
                self.measuring.clear()

        return sampled

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            if not self.measuring.is_set():
                continue
            for key, (count, rss) in sample(self.stack).items():
                if rss > self.peak.get(key, (0, 0))[1]:
                    self.peak[key] = (count, rss)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def rows(idle: dict[str, tuple[int, int]], loaded: dict[str, tuple[int, int]]) -> list[list[str]]:
    keys = sorted(set(idle) | set(loaded), key=lambda k: -max(idle.get(k, (0, 0))[1], 0))
    out = []
    for key in keys:
        n_idle, rss_idle = idle.get(key, (0, 0))
        n_load, rss_load = loaded.get(key, (0, 0))
        count = max(n_idle, n_load)
        out.append([key, str(count), f"{rss_idle / MB:.0f} MB", f"{rss_load / MB:.0f} MB"])
    total_idle = sum(v[1] for v in idle.values())
    total_load = sum(v[1] for v in loaded.values())
    out.append(["**all**", "", f"{total_idle / MB:.0f} MB", f"{total_load / MB:.0f} MB"])
    return out
