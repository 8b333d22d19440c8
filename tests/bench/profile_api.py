"""Where a process spends its time: py-spy samples one process of `lunch run` (the api by
default) under B1's and B5's loads.

Starts `lunch run` with one api worker, drives the write path (POST /api/orders) and then
the read path (menu, my orders) with wrk, recording each with py-spy, and prints per path
the functions holding most samples, by self time and inclusive time. Not part of
`make bench`; run it before and after a change:

    python -m tests.bench.profile_api [--seconds 15] [--out DIR] [--only write] [--gil] [--rate 50]
                                      [--process projector]
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.bench.load import wrk
from tests.bench.memory import label
from tests.bench.stack import Stack, running_stack, settle
from tests.bench.workload import prepare_office

OURS = ("api/", "commands/", "projections/", "domain/", "notifier/", "ops/")
TOP = 15


def component_pid(stack: Stack, component: str = "api") -> int:
    return next(p.pid for p in stack.processes() if label(p, stack.proc.pid) == component)


def _frame_name(frame: str) -> str:
    """``function (path/to/file.py:12)`` without the line number or the site-packages prefix."""
    name, _, where = frame.partition(" (")
    path = where.split(":")[0]
    path = path.split("site-packages/")[-1].split("wt-perf/")[-1]
    return f"{name} ({path})"


def summarise(collapsed: Path) -> str:
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = [_frame_name(f) for f in stack.split(";") if f]
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            if any(part in frame for part in OURS):
                inclusive[frame] += count
    lines = [f"{total} samples", "self time:"]
    lines += [f"  {n / total:6.1%}  {f}" for f, n in own.most_common(TOP)]
    lines += ["inclusive time, our code:"]
    lines += [f"  {n / total:6.1%}  {f}" for f, n in inclusive.most_common(TOP)]
    return "\n".join(lines)


def record(
    pid: int, seconds: int, out: Path, load: threading.Thread, *, gil: bool, rate: int
) -> Path:
    argv = ["py-spy", "record", "--pid", str(pid), "--duration", str(seconds), "--rate", str(rate)]
    argv += ["--format", "raw", "--output", str(out), "--nonblocking"]
    argv += ["--gil"] if gil else []
    spy = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), *argv[1:]])
    load.start()
    spy.wait()
    load.join()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="profile_api", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--only", choices=["write", "read"], help="one of the two loads")
    parser.add_argument("--gil", action="store_true", help="only samples holding the GIL")
    parser.add_argument("--process", default="api", help="projector, relay, notifier, clock")
    parser.add_argument("--rate", type=int, default=50, help="samples per second")
    args = parser.parse_args(argv)
    with running_stack({"LUNCH_HTTP_WORKERS": "1"}) as stack:
        office = prepare_office(stack, 1000)
        tokens = office.tokens(stack)
        settle(stack)
        pid = component_pid(stack, args.process)
        loads = {
            "write": lambda: wrk(
                stack.url,
                tokens=tokens,
                body=office.order_body,
                dates=office.dates,
                seconds=args.seconds,
            ),
            "read": lambda: wrk(
                stack.url,
                tokens=tokens,
                seconds=args.seconds,
                paths=[f"/api/cafes/{office.cafe_id}/menu", "/api/orders/mine"],
            ),
        }
        args.out.mkdir(parents=True, exist_ok=True)
        for name, load in loads.items():
            if args.only not in (None, name):
                continue
            out = args.out / f"profile-{name}.txt"
            record(
                pid, args.seconds, out, threading.Thread(target=load), gil=args.gil, rate=args.rate
            )
            print(f"\n== {name} path ({out})\n{summarise(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
