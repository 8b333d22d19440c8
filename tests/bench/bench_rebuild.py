"""Rebuild throughput: replaying a generated office history into every projection.

Creates a fresh database (next to DATABASE_URL, else on the local PostgreSQL), fills it
with ``--events`` generated events, then measures in the same run, each ``--runs`` times:

- baseline: reading and decoding the whole event store in batches (no projection work);
- rebuild: ``projections.engine.rebuild.rebuild`` of all projections, as ``lunch projections
  rebuild`` runs it.

Prints the medians in events/s and the ratio rebuild / baseline, then drops the database.

    python -m tests.bench.bench_rebuild [--events N] [--runs R] [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from commands.store import EventStore
from commands.store.postgres import PostgresEventStore
from projections.engine.rebuild import rebuild
from projections.models.catalogue import ALL
from tests.bench import report
from tests.bench.generate import fill
from tests.bench.report import goal, publish, table

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
TARGET = 20_000  # events/s over 1,000,000 events (issue 12)
TARGET_RATIO = 0.5  # of the log read alone
READ_SIZE = 5000


@contextmanager
def fresh_database(server_url: str, *, keep: bool) -> Iterator[str]:
    """A new empty database on the server of ``server_url``; dropped afterwards unless kept."""
    name = f"lunch_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    try:
        yield url
    finally:
        if keep:
            print(f"kept the database: {url}")
        else:
            with psycopg.connect(server_url, autocommit=True) as conn:
                drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                conn.execute(drop.format(sql.Identifier(name)))


def read_all(store: EventStore, read_size: int = READ_SIZE) -> int:
    """Read and decode every event in batches, as a rebuild does before projecting."""
    position = count = 0
    while batch := store.read(position, read_size):
        count += len(batch)
        position = batch[-1].notification_id
    return count


def rebuild_all(store: EventStore, pool: ConnectionPool) -> int:
    result = rebuild(pool, read_batch=store.read, head=store.head(), show_progress=False)
    return result.events


def measure(label: str, runs: int, step: Callable[[], int]) -> list[float]:
    """Events per second of each run."""
    rates = []
    for run in range(1, runs + 1):
        started = time.perf_counter()
        events = step()
        seconds = time.perf_counter() - started
        rates.append(events / seconds)
        print(f"  {label} run {run}: {events} events in {seconds:.1f}s = {rates[-1]:,.0f} events/s")
    return rates


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_rebuild", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events to generate")
    # One run over a million events lasts minutes, long enough to be its own median.
    parser.add_argument("--runs", type=int, default=1, help="runs of each measurement")
    parser.add_argument(
        "--quick", action="store_true", help="100,000 events (unless --events is given)"
    )
    parser.add_argument(
        "--database-url", help="an existing database to use (filled if empty, never dropped)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the created database")
    args = parser.parse_args(argv)
    if args.quick and "--events" not in (argv if argv is not None else sys.argv):
        args.events = 100_000
    return args


@contextmanager
def database(args: argparse.Namespace) -> Iterator[str]:
    if args.database_url:
        yield args.database_url
        return
    server = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    with fresh_database(server, keep=args.keep) as url:
        yield url


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_before = os.getloadavg()[0]
    with database(args) as url:
        store = PostgresEventStore(url, statement_timeout_ms=600_000)
        try:
            store.setup()
            if store.head() == 0:
                started = time.perf_counter()
                filled = fill(store, args.events)
                seconds = time.perf_counter() - started
                print(f"generated {filled} events in {seconds:.1f}s")
            total = read_all(store)
            print(f"event store: {total} events; projections: {', '.join(p.name for p in ALL)}")
            baseline = measure("baseline", args.runs, lambda: read_all(store))
            with ConnectionPool(url, min_size=1, max_size=4) as pool:
                rebuilt = measure("rebuild", args.runs, lambda: rebuild_all(store, pool))
        finally:
            store.close()
    base, rate = statistics.median(baseline), statistics.median(rebuilt)
    verdict = "meets" if rate >= TARGET else "is below"
    load = f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    print(
        f"\nN = {total} events, {args.runs} runs each (medians); {os.cpu_count()} CPUs,"
        f" load average {load}\n"
        f"  baseline (read + decode): {base:>10,.0f} events/s\n"
        f"  rebuild (all projections): {rate:>9,.0f} events/s\n"
        f"  rebuild / baseline: {rate / base:.2f}\n"
        f"  the rebuild {verdict} the target of {TARGET:,} events/s"
    )
    publish_b4(total, args.runs, base, rate)
    return 1 if report.MISSED else 0


def publish_b4(total: int, runs: int, base: float, rate: float) -> None:
    rows = [
        ["read and decode the log", f"{base:,.0f} events/s", "1.00"],
        ["rebuild, all read models", f"{rate:,.0f} events/s", f"{rate / base:.2f}"],
    ]
    goals = [
        [f"≥ {TARGET:,} events/s", f"{rate:,.0f}", goal(rate >= TARGET)],
        [f"≥ {TARGET_RATIO} × log read", f"{rate / base:.2f}", goal(rate / base >= TARGET_RATIO)],
    ]
    body = (
        f"{total:,} generated events, median of {runs} runs each.\n\n"
        + table(["what", "rate", "× log read"], rows)
        + "\n\n"
        + table(["goal", "measured", "verdict"], goals)
    )
    publish("B4", "rebuild", body)


if __name__ == "__main__":
    sys.exit(main())
