"""The service benchmarks on one `lunch run`: B1 write, B2 freshness, B5 read, B6, B7 memory.

Starts `lunch run` on a fresh data directory, imports employees, then measures each path
beside its yardstick in the same run and writes each section of docs/benchmarks.md.

    python -m tests.bench.bench_service [--quick] [--only B1,B5]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from commands.settings import Settings
from ops.api_server import worker_count
from tests.bench import memory, miniapp, report, sections
from tests.bench.baselines import CrudServer, raw_inserts
from tests.bench.freshness import FreshnessPoller
from tests.bench.load import Load, Sequenced, interleaved, merged, wrk
from tests.bench.stack import Stack, running_stack, settle
from tests.bench.workload import B1_DATES, B2_DATES, RUSH_DATES, Office, prepare_office

EMPLOYEES = 2000
PACED_CONNECTIONS = 8
ROUNDS = 4  # each comparison is taken in this many alternating turns
WARMUP_SECONDS = 3  # each load's uncounted first run
# Reads: long enough for each worker to have read every employee's orders once at the cold
# rate (2,000 employees, two workers), so the turns measure the cache as it is in use.
READ_WARMUP_SECONDS = 5
# B5's my orders while orders are placed: the placements per second, by many clients each
# waiting long between orders, so that the rate depends little on how fast they are answered.
RUSH_ORDERS_PER_SECOND = 100
RUSH_CONNECTIONS = 64
RUSH_DELAY_MS = RUSH_CONNECTIONS * 1000 / RUSH_ORDERS_PER_SECOND


def api_workers() -> int:
    """As many as `lunch run` gives the api, so the CRUD yardstick gets the same cores."""
    return worker_count(Settings.from_env(os.environ))


def bench_write(stack: Stack, office: Office, tokens: list[str], seconds: int) -> Load:
    """B1, its three loads taken in turns, with B7 sampled under it."""
    idle = memory.sample(stack)
    dates = office.dates[B1_DATES]
    with CrudServer(stack.database_url, api_workers()) as crud, memory.PeakSampler(stack) as peak:
        runs: dict[str, Callable[[int], Load]] = {
            "orders": peak.during(
                Sequenced(stack.url, tokens=tokens, body=office.order_body, dates=dates)
            ),
            "raw": lambda share: raw_inserts(stack.database_url, share),
            "crud": Sequenced(crud.url, tokens=tokens, body=office.order_body, dates=dates),
        }
        loads = interleaved(runs, seconds, ROUNDS, WARMUP_SECONDS)
    sections.write_b7(memory.rows(idle, peak.peak))
    sections.write_b1(loads["orders"], loads["raw"], loads["crud"], api_workers(), seconds)
    return loads["orders"]


def bench_freshness(stack: Stack, office: Office, tokens: list[str], rate: float, seconds: int):
    target = max(rate / 2, 1.0)
    delay_ms = PACED_CONNECTIONS * 1000 / target
    with FreshnessPoller(stack.database_url) as poller:
        load = wrk(
            stack.url,
            tokens=tokens,
            body=office.order_body,
            dates=office.dates[B2_DATES],
            seconds=seconds,
            connections=PACED_CONNECTIONS,
            delay_ms=delay_ms,
        )
    sections.write_b2(
        load.rate,
        poller.percentile_ms(50),
        poller.percentile_ms(99),
        len(poller.lags),
        poller.unseen,
    )


def _getting(url: str, tokens: list[str], paths: list[str]) -> Callable[[int], Load]:
    return lambda seconds: wrk(url, tokens=tokens, paths=paths, seconds=seconds)


class Rush:
    """My orders read by 32 clients while RUSH_CONNECTIONS more place orders, each waiting
    RUSH_DELAY_MS between two (about RUSH_ORDERS_PER_SECOND in all):
    the reads of the minutes before a deadline, when every placement changes the orders
    projection. Keeps each turn's placements (``placed``)."""

    def __init__(self, stack: Stack, office: Office, tokens: list[str]) -> None:
        self.orders = Sequenced(
            stack.url,
            tokens=tokens,
            body=office.order_body,
            dates=office.dates[RUSH_DATES],
            connections=RUSH_CONNECTIONS,
            delay_ms=RUSH_DELAY_MS,
        )
        self.reads = _getting(stack.url, tokens, ["/api/orders/mine"])
        self.placed: list[Load] = []

    def __call__(self, seconds: int) -> Load:
        with ThreadPoolExecutor(1) as pool:
            placing = pool.submit(self.orders, seconds)
            reads = self.reads(seconds)
            self.placed.append(placing.result())
        return reads


def bench_read(stack: Stack, office: Office, tokens: list[str], seconds: int) -> None:
    with stack.client() as client:
        cafes = [c["id"] for c in client.get("/api/cafes").raise_for_status().json()]
    runs = {
        "menu": [f"/api/cafes/{c}/menu" for c in cafes],
        "mine": ["/api/orders/mine"],
        "static": ["/schema/openapi.json"],
        "health": ["/health"],
    }
    loads = {key: _getting(stack.url, tokens, paths) for key, paths in runs.items()}
    rush = Rush(stack, office, tokens)
    results = interleaved({**loads, "rush": rush}, seconds, ROUNDS, READ_WARMUP_SECONDS)
    placed = merged(rush.placed[1:])  # the first: warm-up
    sections.write_b5(results, seconds, placed, RUSH_CONNECTIONS, RUSH_DELAY_MS)


def bench_miniapp(stack: Stack) -> None:
    if not miniapp.built():
        sections.write_b6(
            "not built (no miniapp/dist; `make setup` builds it once miniapp/ exists)"
        )
        return
    gz_bytes, files = miniapp.first_screen_bytes()
    sections.write_b6("built", gz_bytes, files, miniapp.first_render_ms(stack.url + "/"))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_service", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 s per load instead of 20")
    parser.add_argument("--only", default="B1,B2,B5,B6,B7", help="comma-separated benchmarks")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    only = set(args.only.upper().split(","))
    seconds = 5 if args.quick else 20
    with running_stack() as stack:
        started = time.perf_counter()
        office = prepare_office(stack, EMPLOYEES)
        tokens = office.tokens(stack)
        took = time.perf_counter() - started
        print(f"lunch run at {stack.url}; {EMPLOYEES} employees imported in {took:.1f}s")
        rate = 0.0
        # Each starts once the stack is quiet: the import's and the last load's projection
        # work, and the notifier's start-up, are not what it measures.
        if only & {"B1", "B7"}:
            print(f"quiet after {settle(stack):.0f} s")
            rate = bench_write(stack, office, tokens, seconds).rate
        if "B2" in only:
            print(f"quiet after {settle(stack):.0f} s")
            bench_freshness(stack, office, tokens, rate or 100.0, seconds)
        if "B5" in only:
            print(f"quiet after {settle(stack):.0f} s")
            bench_read(stack, office, tokens, max(seconds * 3 // 4, 5))
        if "B6" in only:
            bench_miniapp(stack)
    return 1 if report.MISSED else 0


if __name__ == "__main__":
    sys.exit(main())
