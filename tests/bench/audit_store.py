"""A large event store for the audit benchmark, built fast and kept between runs.

The events come from ``tests.bench.generate`` and are encoded by the store's own mapper;
they are loaded with ``COPY`` into the events table with the audit's triggers installed
first, so every chunk is one statement whose transition table the triggers seal and
index exactly as they do an insert of the recorder (the table is locked meanwhile, as the
recorder locks it). The read models are then rebuilt through the engine.

The finished database is named for what it holds (events, employees, and a digest of the
code that decides its content), so a later run with the same code reuses it; a build goes
into a temporary database renamed when finished, so an interrupted build is never reused.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from commands.audit.log import install_audit
from commands.mapper import Envelope, MsgspecMapper
from commands.store.postgres import EVENTS_TABLE, PostgresEventStore
from projections.engine.rebuild import rebuild
from tests.bench.generate import Row, history

ROOT = Path(__file__).resolve().parents[2]
# What decides the stored rows, the audit tables and the read models of a cached store.
CONTENT = (
    "tests/bench/generate.py",
    "tests/bench/audit_store.py",
    "commands/mapper.py",
    "commands/audit/schema.py",
    "domain/events",
    "projections/models",
    "projections/engine/batches.py",
)
_DROP = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
CHUNK = 50_000  # events per COPY statement (one trigger call each)


def digest() -> str:
    """A short digest of the code in ``CONTENT``: a change to it means a new store."""
    h = hashlib.sha256()
    for name in CONTENT:
        path = ROOT / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            h.update(file.relative_to(ROOT).as_posix().encode() + b"\0" + file.read_bytes())
    return h.hexdigest()[:10]


def _url(server_url: str, name: str) -> str:
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def _chunks(events: int, employees: int) -> Iterator[list[Row]]:
    pending: list[Row] = []
    for rows in history(events, employees=employees):
        pending.extend(rows)
        while len(pending) >= CHUNK:
            yield pending[:CHUNK]
            pending = pending[CHUNK:]
    if pending:
        yield pending


def load(url: str, events: int, employees: int) -> int:
    """COPY about ``events`` generated events into the (empty) store at ``url``."""
    mapper = MsgspecMapper()
    table = sql.Identifier("public", EVENTS_TABLE)
    copy = sql.SQL(
        "COPY {} (originator_id, originator_version, topic, state) FROM STDIN (FORMAT BINARY)"
    ).format(table)
    count = 0
    with psycopg.connect(url) as conn:
        for chunk in _chunks(events, employees):
            stored = [mapper.to_stored_event(Envelope(*row)) for row in chunk]
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
                with cur.copy(copy) as writer:
                    writer.set_types(["uuid", "int8", "text", "bytea"])
                    for s in stored:
                        writer.write_row((s.originator_id, s.originator_version, s.topic, s.state))
            count += len(stored)
            print(f"  loaded {count:,} events", end="\r", flush=True)
    print()
    return count


def build(url: str, events: int, employees: int) -> None:
    """Fill the empty database at ``url``: events (triggers on), read models, statistics."""
    store = PostgresEventStore(url, statement_timeout_ms=0)
    try:
        store.setup()
        install_audit(url)
        started = time.perf_counter()
        loaded = load(url, events, employees)
        print(f"loaded {loaded:,} events in {time.perf_counter() - started:.0f}s (triggers on)")
        with ConnectionPool(url, min_size=1, max_size=4) as pool:
            rebuilt = rebuild(pool, read_batch=store.read, head=store.head(), show_progress=False)
        print(f"rebuilt the read models at {rebuilt.rate:,.0f} events/s")
    finally:
        store.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def cached_store(server_url: str, events: int, employees: int, *, fresh: bool = False) -> str:
    """The URL of a finished store of about ``events`` events, built unless one exists."""
    name = f"lunch_bench_audit_{events}_{employees}_{digest()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        if fresh:
            conn.execute(_DROP.format(sql.Identifier(name)))
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if found:
        print(f"reusing the store {name}")
        return _url(server_url, name)
    building = f"lunch_bench_audit_building_{uuid.uuid4().hex[:8]}"
    print(f"building the store {name} (once; later runs reuse it)")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
    drop = _DROP.format(sql.Identifier(building))
    try:
        build(_url(server_url, building), events, employees)
        # Only a finished store gets the name, so a name found is always a finished store.
        rename = sql.SQL("ALTER DATABASE {} RENAME TO {}")
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(rename.format(sql.Identifier(building), sql.Identifier(name)))
    except psycopg.errors.DuplicateDatabase:  # another run finished the same store first
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(drop)
    except BaseException:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(drop)
        raise
    return _url(server_url, name)
