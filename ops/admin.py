"""Operator and auditor commands: projections, employee import, audit, recommender."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from ops.components import make_service, open_store
from ops.entry import call

if TYPE_CHECKING:
    import argparse

    from psycopg_pool import ConnectionPool

    from commands.settings import Settings
    from commands.store import EventStore


def _print_json(value: Any) -> None:
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(value)).decode() + "\n")


def _pool(settings: Settings) -> ConnectionPool:
    from psycopg_pool import ConnectionPool

    return ConnectionPool(settings.database.url, min_size=1, max_size=4, open=True)


def projections_rebuild(settings: Settings, names: list[str]) -> int:
    from projections.engine.rebuild import rebuild

    store = open_store(settings)
    with _pool(settings) as pool:
        result = call(rebuild, pool, names, read_batch=store.read, head=store.head())
    store.close()
    _print_json(msgspec.to_builtins(result))
    return 0


def _print_table(rows: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    records = msgspec.to_builtins(rows)
    table = Table(*(records[0].keys() if records else ("projection",)))
    for record in records:
        table.add_row(*(str(v) for v in record.values()))
    Console().print(table)


def _first_event_time(store: EventStore, position: int) -> dt.datetime | None:
    found = store.read(position, 1)
    return found[0].event.at if found else None


def projections_status(settings: Settings) -> int:
    from projections.engine.status import projection_status as status

    store = open_store(settings)
    with _pool(settings) as pool:
        rows = call(
            status,
            pool,
            store.head(),
            first_after=functools.partial(_first_event_time, store),
            now=dt.datetime.now(dt.UTC),
        )
    store.close()
    _print_table(rows)
    return 0


def _projection(name: str) -> Any:
    """The named projection; exits with a message listing the known ones if there is none."""
    from projections.models.catalogue import select

    try:
        return select([name])[0]
    except LookupError as e:
        sys.stderr.write(f"{e}\n")
        raise SystemExit(2) from e


def projections_parked(settings: Settings, name: str | None) -> int:
    from projections.engine.parking import parked
    from projections.engine.schema import setup
    from projections.models.catalogue import ALL

    chosen = [_projection(name)] if name else ALL
    with _pool(settings) as pool:
        setup(pool, chosen)
        rows = parked(pool, name)
    # JSON, not a table: keys and errors are long, and operators copy them into `retry`.
    _print_json(msgspec.to_builtins(rows))
    return 0


def projections_retry(settings: Settings, name: str, key: str) -> int:
    """Re-apply the key's parked messages in order; 1 while any stays parked."""
    from projections.engine.parking import retry_parked

    projection = _projection(name)
    with _pool(settings) as pool:
        result = retry_parked(pool, projection, key)
    _print_json(msgspec.to_builtins(result))
    return 0 if result.remaining == 0 else 1


def projections(settings: Settings, args: argparse.Namespace) -> int:
    """``lunch projections rebuild|status|parked|retry``."""
    match args.action:
        case "rebuild":
            return projections_rebuild(settings, args.names)
        case "status":
            return projections_status(settings)
        case "parked":
            return projections_parked(settings, args.name)
        case "retry":
            return projections_retry(settings, args.name, args.key)
    raise AssertionError(args.action)


def employees_import(settings: Settings, path: Path) -> int:
    store = open_store(settings)
    service = make_service(store)
    outcome = service.import_employees(path.read_text(encoding="utf-8"), actor="system")
    store.close()
    _print_json(msgspec.to_builtins(outcome.value))
    return 0


def audit_history(settings: Settings, order_id: str) -> int:
    from ops import audit_cli

    return audit_cli.history(settings, order_id)


def audit_report(settings: Settings, cafe: str, date: str, as_of: str | None, fmt: str) -> int:
    from ops import audit_cli

    return audit_cli.report(settings, cafe, date, as_of, fmt)


def audit_verify(
    settings: Settings, checkpoint: Path | None = None, *, logs_only: bool = False
) -> int:
    from ops import audit_cli

    return audit_cli.verify(settings, checkpoint, read_models=not logs_only)


def audit_checkpoint(settings: Settings) -> int:
    from ops import audit_cli

    return audit_cli.checkpoint(settings)


def recommender_run_once(settings: Settings) -> int:
    from recommender.runner import run_once

    call(run_once, settings)
    return 0
