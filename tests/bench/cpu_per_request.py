"""CPU per request of every process of `lunch run`, by path: where a request's cost goes.

Starts `lunch run` with one api worker, then, in turns, drives the menu, my orders and the
static schema route with wrk, reading each process's CPU time before and after. CPU per
request moves less than the rate when the machine is shared; compare two checkouts by
running this in each, back to back. ``idle`` gives each process's share of a core while
nothing is asked of the stack. Not part of `make bench`:

    python -m tests.bench.cpu_per_request [--seconds 8] [--rounds 2] [--paths idle,orders,menu]
"""

from __future__ import annotations

import argparse
import collections
import functools
import sys
import time
from collections.abc import Callable

from tests.bench.load import Load, Sequenced, wrk
from tests.bench.memory import label
from tests.bench.stack import Stack, cpu_spent, running_stack, settle
from tests.bench.workload import prepare_office

SHOWN_MS = 0.05  # processes below this per request are left out of the line
SHOWN_PERCENT = 0.1  # idle: processes below this share of a core are left out


def cpu_seconds(stack: Stack) -> dict[str, float]:
    """User plus system CPU seconds so far, per kind of process."""
    spent: collections.defaultdict[str, float] = collections.defaultdict(float)
    for proc, seconds in cpu_spent(stack):
        spent[label(proc, stack.proc.pid)] += seconds
    return spent


def _get(url: str, tokens: list[str], path: str, seconds: int) -> Load:
    return wrk(url, tokens=tokens, paths=[path], seconds=seconds)


def idle_line(stack: Stack, seconds: int) -> str:
    """Each process's share of a core while nothing is asked of the stack."""
    settle(stack)
    before = cpu_seconds(stack)
    time.sleep(seconds)
    after = cpu_seconds(stack)
    share = {k: 100 * (after[k] - before.get(k, 0.0)) / seconds for k in after}
    parts = " ".join(
        f"{kind}={pct:.1f}%"
        for kind, pct in sorted(share.items(), key=lambda kv: -kv[1])
        if pct >= SHOWN_PERCENT
    )
    return f"idle    {sum(share.values()):5.1f}% of a core: {parts}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cpu_per_request", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--paths", default="menu,mine,static", help="of menu,mine,static,orders,idle"
    )
    args = parser.parse_args(argv)
    with running_stack({"LUNCH_HTTP_WORKERS": "1"}) as stack:
        office = prepare_office(stack, 1000)
        tokens = office.tokens(stack)
        get = {
            "menu": f"/api/cafes/{office.cafe_id}/menu",
            "mine": "/api/orders/mine",
            "static": "/schema/openapi.json",
        }
        loads: dict[str, Callable[[int], Load]] = {
            name: functools.partial(_get, stack.url, tokens, path) for name, path in get.items()
        }
        loads["orders"] = Sequenced(
            stack.url, tokens=tokens, body=office.order_body, dates=office.dates
        )
        chosen = [name.strip() for name in args.paths.split(",")]
        for _ in range(args.rounds):
            for name in chosen:
                if name == "idle":
                    print(idle_line(stack, args.seconds), flush=True)
                    continue
                before = cpu_seconds(stack)
                load = loads[name](args.seconds)
                after = cpu_seconds(stack)
                count = max(load.requests, 1)
                per = {k: 1000 * (after[k] - before.get(k, 0.0)) / count for k in after}
                parts = " ".join(
                    f"{kind}={ms:.2f}"
                    for kind, ms in sorted(per.items(), key=lambda kv: -kv[1])
                    if ms >= SHOWN_MS
                )
                print(
                    f"{name:7s} {load.rate:6,.0f}/s p50 {load.p50_ms:6.1f} ms "
                    f"p99 {load.p99_ms:6.1f} ms | {sum(per.values()):5.2f} ms CPU/request: {parts}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
