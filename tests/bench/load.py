"""Driving HTTP load with wrk (compiled, a few percent of a core) and reading its figures."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import msgspec

SCRIPT = Path(__file__).with_name("wrk_bench.lua")
THREADS = 2
CONNECTIONS = 32


class Load(msgspec.Struct, frozen=True):
    """One wrk run: completed requests, their rate and latency percentiles."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    used: int = 0  # sequence numbers a POST run used from its offset (Sequenced)

    @property
    def rate(self) -> float:
        """Successful requests per second (answers other than 2xx/3xx do not count)."""
        return max(self.requests - self.errors, 0) / self.seconds if self.seconds else 0.0

    def cells(self) -> list[str]:
        errors = f", {self.errors} errors" if self.errors else ""
        return [f"{self.rate:,.0f}/s", f"{self.p50_ms:.1f} ms", f"{self.p99_ms:.1f} ms{errors}"]


class _Raw(msgspec.Struct):
    requests: int
    micros: int
    p50: int
    p99: int
    status_errors: int
    socket_errors: int
    used: int = 0  # sequence numbers the run used, from its offset


def wrk_binary() -> str:
    """The wrk of the package archive, installed on first use when running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("the benchmarks need wrk: apt-get install wrk")
    return found


def _file(lines: Sequence[str], directory: Path, name: str) -> str:
    path = directory / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


class Sequenced:
    """Runs of wrk that continue one numbered sequence (distinct employee-date pairs)."""

    def __init__(self, url: str, **options: object) -> None:
        self.url, self.options, self.offset = url, options, 0

    def __call__(self, seconds: int) -> Load:
        load = wrk(self.url, seconds=seconds, offset=self.offset, **self.options)  # type: ignore[arg-type]
        # Past every number a thread used, answered or still in flight when wrk stopped.
        self.offset += load.used
        return load


def wrk(  # noqa: PLR0913
    url: str,
    *,
    tokens: Sequence[str],
    paths: Sequence[str] = ("/",),
    body: str | None = None,
    dates: Sequence[str] = (),
    seconds: int = 20,
    connections: int = CONNECTIONS,
    delay_ms: float = 0.0,
    offset: int = 0,
) -> Load:
    """Run wrk against ``url``: GETs of ``paths`` or, with ``body``, POST /api/orders."""
    with tempfile.TemporaryDirectory(prefix="lunch-wrk-") as tmp:
        directory = Path(tmp)
        env = {
            **os.environ,
            "BENCH_TOKENS": _file(tokens, directory, "tokens"),
            "BENCH_PATHS": _file(paths, directory, "paths"),
            "BENCH_DATES": _file(dates or ["-"], directory, "dates"),
            "BENCH_BODY": _file([body], directory, "body") if body else "",
            "BENCH_THREADS": str(THREADS),
            "BENCH_DELAY_MS": f"{delay_ms:.3f}",
            "BENCH_OFFSET": str(offset),
        }
        argv = [wrk_binary(), f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s"]
        argv += ["--timeout", "10s", "-s", str(SCRIPT), url]
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
        out = done.stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCHJSON "))
    raw = msgspec.json.decode(line.removeprefix("BENCHJSON "), type=_Raw)
    return Load(
        requests=raw.requests,
        seconds=raw.micros / 1e6,
        p50_ms=raw.p50 / 1000,
        p99_ms=raw.p99 / 1000,
        errors=raw.status_errors + raw.socket_errors,
        used=raw.used,
    )


def merged(slices: Sequence[Load]) -> Load:
    """Slices of one load taken in turn with others: requests and time add up; p50 is the
    median of the slices' p50 and p99 the highest slice's p99 (slices cannot be merged
    exactly from percentiles, so p99 errs on the pessimistic side)."""
    p50s = sorted(s.p50_ms for s in slices)
    return Load(
        requests=sum(s.requests for s in slices),
        seconds=sum(s.seconds for s in slices),
        p50_ms=p50s[len(p50s) // 2],
        p99_ms=max(s.p99_ms for s in slices),
        errors=sum(s.errors for s in slices),
    )


def interleaved(
    runs: Mapping[str, Callable[[int], Load]], seconds: int, rounds: int, warmup: int = 0
) -> dict[str, Load]:
    """Each load for ``seconds`` in all, taken in ``rounds`` turns (A B C A B C ...), so a
    machine whose other load drifts during the run weighs on every one alike. With
    ``warmup``, each load first runs that many seconds uncounted: connections, caches and
    the first collections of a new process are not what the turns measure."""
    for run in runs.values() if warmup > 0 else ():
        run(warmup)
    taken: dict[str, list[Load]] = {name: [] for name in runs}
    share = max(seconds // rounds, 1)
    for _ in range(rounds):
        for name, run in runs.items():
            taken[name].append(run(share))
    return {name: merged(loads) for name, loads in taken.items()}
