"""Driving HTTP load with wrk (compiled, a few percent of a core) and reading its figures."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
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
        }
        argv = [wrk_binary(), f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s"]
        argv += ["--timeout", "10s", "-s", str(SCRIPT), url]
        out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCHJSON "))
    raw = msgspec.json.decode(line.removeprefix("BENCHJSON "), type=_Raw)
    return Load(
        requests=raw.requests,
        seconds=raw.micros / 1e6,
        p50_ms=raw.p50 / 1000,
        p99_ms=raw.p99 / 1000,
        errors=raw.status_errors + raw.socket_errors,
    )
