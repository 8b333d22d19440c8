"""Audit timings on a large store: history, order and cafe-day report as of a moment, verify.

Uses a store of ``--events`` generated events (``--employees`` people over 5 cafes: about
540 orders per cafe-day with the default 3,200) with the audit's triggers and rebuilt read
models, built once by ``tests.bench.audit_store`` and kept (next to DATABASE_URL, else on
the local PostgreSQL) for later runs. On a cafe-day in the middle of the log, with its
busiest cafe, it measures (medians of ``--runs`` warm calls, taken in turn):

- one order's history (stream read + changes) and one order as of a moment;
- one cafe-day report as of a moment (the day's events through the index + the fold),
  and as its baseline the same sheet read from the live read model;
- verify, once: the hash chain recomputed, and (unless ``--log-only``) the read models
  replayed and compared, in events/s.

    python -m tests.bench.bench_audit [--events N | --quick] [--fresh] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from commands.audit.chain import verify_chain
from commands.audit.log import AuditLog, install_audit
from commands.store.postgres import PostgresEventStore
from projections.audit.as_of import cafe_day_report_as_of, order_as_of
from projections.audit.history import order_history
from projections.audit.verify import verify_read_models
from projections.reads.reports import cafe_day_sheet
from tests.bench.audit_store import build, cached_store
from tests.bench.bench_rebuild import LOCAL_POSTGRES

BASELINE = "baseline: the same sheet from the live read model"
TARGETS_MS = {"order history": 10.0, "order as of": 10.0, "cafe-day report as of": 200.0}
# The middle day of the log, its busiest cafe, and that cafe-day's order with most events.
_DAY = """WITH days AS (SELECT min(date) AS first, max(date) AS last FROM audit_cafe_days)
SELECT d.cafe_id, d.date, count(*) FROM audit_cafe_days d
JOIN stored_events e ON e.notification_id = d.notification_id AND e.topic = 'Order.Placed', days
WHERE d.date = days.first + (days.last - days.first) / 2
GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1"""
_ORDER = """SELECT e.originator_id FROM audit_cafe_days d
JOIN stored_events e ON e.notification_id = d.notification_id
WHERE d.cafe_id = %s AND d.date = %s AND e.topic LIKE 'Order.%%'
GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"""


POOL_SIZE = 4


def medians_ms(runs: int, steps: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """Each step's median of ``runs`` calls, the steps taken in turn so that the shared
    machine weighs on all alike; after one call of each per pooled connection (the first
    fold on a connection creates its temporary tables)."""
    for _ in range(POOL_SIZE):
        for step in steps.values():
            step()
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(runs):
        for name, step in steps.items():
            started = time.perf_counter()
            step()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(taken) for name, taken in times.items()}


def live_sheet(pool: ConnectionPool, cafe_id: uuid.UUID, day: dt.date, at: dt.datetime) -> Any:
    """The baseline: the same cafe-day's sheet read from the live read model."""
    with pool.connection() as conn:
        return cafe_day_sheet(conn, cafe_id, day, as_of=at)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_audit", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--employees", type=int, default=3200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="100,000 events")
    parser.add_argument("--fresh", action="store_true", help="rebuild the kept store")
    parser.add_argument("--log-only", action="store_true", help="verify the chain only")
    parser.add_argument(
        "--database-url", help="an existing database (built into if it has no event store)"
    )
    args = parser.parse_args(argv)
    if args.quick and "--events" not in (argv if argv is not None else sys.argv):
        args.events = 100_000
    return args


def store_url(args: argparse.Namespace) -> str:
    if not args.database_url:
        server = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
        return cached_store(server, args.events, args.employees, fresh=args.fresh)
    with psycopg.connect(args.database_url) as conn:
        empty = conn.execute("SELECT to_regclass('public.stored_events') IS NULL").fetchone()
    if empty and empty[0]:
        build(args.database_url, args.events, args.employees)
    else:
        install_audit(args.database_url)  # sealing and indexing what is there, if not yet
    return str(args.database_url)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = store_url(args)
    load_before = os.getloadavg()[0]
    store = PostgresEventStore(url, statement_timeout_ms=0)
    log = AuditLog(url)
    with ConnectionPool(url, min_size=1, max_size=4) as pool, pool.connection() as conn:
        row = conn.execute(_DAY).fetchone()
        assert row is not None, "the store has no orders"
        cafe_id, day, placed = row
        found = conn.execute(_ORDER, [cafe_id, day]).fetchone()
        assert found is not None
        oid: uuid.UUID = found[0]
    head = store.head()
    moment = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)
    with ConnectionPool(url, min_size=1, max_size=POOL_SIZE) as pool:
        figures = medians_ms(
            args.runs,
            {
                "order history": lambda: order_history(log.stream(oid)),
                "order as of": lambda: order_as_of(pool, oid, log.stream(oid), moment),
                "cafe-day report as of": lambda: cafe_day_report_as_of(
                    pool, log, cafe_id, day, moment
                ),
                BASELINE: lambda: live_sheet(pool, cafe_id, day, moment),
            },
        )
        sheet = cafe_day_report_as_of(pool, log, cafe_id, day, moment)
        started = time.perf_counter()
        chain = verify_chain(log)
        chain_s = time.perf_counter() - started
        models = None
        if not args.log_only:
            started = time.perf_counter()
            models = verify_read_models(pool, read_batch=log.read, batch_size=5000)
            models_s = time.perf_counter() - started
    log.close()
    store.close()
    load = f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    print(f"\nN = {head:,} events; {os.cpu_count()} CPUs, load average (1 min) {load}")
    orders = sheet.orders_count if sheet else 0
    print(f"cafe-day {day}: {placed} orders placed, {orders} on the sheet as of {moment:%H:%M}")
    baseline = figures.pop(BASELINE)
    for name, ms in figures.items():
        verdict = "meets" if ms < TARGETS_MS[name] else "misses"
        print(
            f"  {name}: {ms:.1f} ms median of {args.runs} ({verdict} < {TARGETS_MS[name]:.0f} ms)"
        )
    ratio = figures["cafe-day report as of"] / baseline
    print(f"  {BASELINE}: {baseline:.1f} ms median; report as of / live = {ratio:.1f}")
    rate = chain.checked_events / chain_s
    print(f"  verify, hash chain: {rate:,.0f} events/s ({chain_s:.1f}s, ok={chain.ok})")
    if models is not None:
        print(f"  verify, read models: {models.events / models_s:,.0f} events/s ({models_s:.1f}s,"
              f" {len(models.mismatches)} mismatches)")  # fmt: skip
    return 0 if chain.ok and (models is None or not models.mismatches) else 1


if __name__ == "__main__":
    sys.exit(main())
