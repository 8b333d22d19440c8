"""Audit timings on a large store: history, order and cafe-day report as of a moment, verify.

Creates a fresh database (next to DATABASE_URL, else on the local PostgreSQL), installs
the audit's triggers, fills it with ``--events`` generated events (``--employees`` people
over 5 cafes: about 500 orders per cafe-day with the default 3,000), rebuilds the read
models, then measures (medians of ``--runs`` calls, warm):

- one order's history (stream read + changes) and one order as of a moment;
- one cafe-day report as of a moment (the day's events through the index + the fold);
- verify: the hash chain recomputed, and the read models replayed and compared (events/s).

    python -m tests.bench.bench_audit [--events N] [--quick] [--database-url URL] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from psycopg_pool import ConnectionPool

from commands.audit.chain import verify_chain
from commands.audit.log import AuditLog, install_audit
from commands.store.postgres import PostgresEventStore
from domain.ids import order_id
from projections.audit.as_of import cafe_day_as_of, order_as_of
from projections.audit.history import order_history
from projections.audit.verify import verify_read_models
from projections.engine.rebuild import rebuild
from tests.bench.bench_rebuild import database
from tests.bench.generate import T0, fill

TARGETS_MS = {"order history": 10.0, "order as of": 10.0, "cafe-day report as of": 200.0}


def median_ms(runs: int, step: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_audit", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--employees", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="100,000 events")
    parser.add_argument("--database-url", help="an existing database (filled if empty)")
    parser.add_argument("--keep", action="store_true", help="keep the created database")
    args = parser.parse_args(argv)
    if args.quick and "--events" not in (argv if argv is not None else sys.argv):
        args.events = 100_000
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with database(args) as url:
        store = PostgresEventStore(url, statement_timeout_ms=3_600_000)
        store.setup()
        install_audit(url)
        if store.head() == 0:
            started = time.perf_counter()
            filled = fill(store, args.events, employees=args.employees)
            print(
                f"generated {filled} events in {time.perf_counter() - started:.1f}s (triggers on)"
            )
        log = AuditLog(url)
        with ConnectionPool(url, min_size=1, max_size=4) as pool:
            rebuilt = rebuild(pool, read_batch=store.read, head=store.head(), show_progress=False)
            head = store.head()
            days = (head // (args.employees * 1.2)) or 1
            day = T0.date() + dt.timedelta(days=int(days) // 2)
            cafe_id = store.read(0, 1)[0].originator_id  # the generator's first cafe
            people = range(10_000, 10_000 + args.employees)
            tg = next(t for t in people if log.stream(order_id(t, day)))
            oid = order_id(tg, day)
            noon = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)
            figures = {
                "order history": median_ms(args.runs, lambda: order_history(log.stream(oid))),
                "order as of": median_ms(
                    args.runs, lambda: order_as_of(pool, oid, log.stream(oid), noon)
                ),
                "cafe-day report as of": median_ms(
                    args.runs,
                    lambda: cafe_day_as_of(pool, cafe_id, day, noon, log.cafe_day(cafe_id, day)),
                ),
            }
            sheet = cafe_day_as_of(pool, cafe_id, day, noon, log.cafe_day(cafe_id, day))
            started = time.perf_counter()
            chain = verify_chain(log)
            chain_s = time.perf_counter() - started
            started = time.perf_counter()
            models = verify_read_models(pool, read_batch=log.read, batch_size=5000)
            models_s = time.perf_counter() - started
        log.close()
        store.close()
    print(f"\nN = {head} events; rebuild {rebuilt.rate:,.0f} events/s; cafe-day {day}:"
          f" {sheet.orders_count if sheet else 0} orders")  # fmt: skip
    for name, ms in figures.items():
        verdict = "meets" if ms < TARGETS_MS[name] else "misses"
        print(
            f"  {name}: {ms:.1f} ms median of {args.runs} ({verdict} < {TARGETS_MS[name]:.0f} ms)"
        )
    rate = chain.checked_events / chain_s
    print(f"  verify chain: {rate:,.0f} events/s ({chain_s:.1f}s, ok={chain.ok})")
    print(f"  verify read models: {models.events / models_s:,.0f} events/s ({models_s:.1f}s,"
          f" {len(models.mismatches)} mismatches)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
