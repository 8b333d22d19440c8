"""``lunch audit history|report|verify|checkpoint``: the audit from the command line.

``verify`` exits 1 on any mismatch; it shows a progress bar for the chain and the replay.
``checkpoint`` prints the chain's head, HMAC-signed when ``LUNCH_AUDIT_KEY`` is set
(``Settings.audit.key``); keep its output outside the database and pass it back to
``verify --checkpoint FILE``.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from commands.settings import Settings


def _print_json(value: Any) -> None:
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(value)).decode() + "\n")


def _key(settings: Settings) -> bytes | None:
    """The checkpoint signing key; None when unset (checkpoints go unsigned)."""
    return settings.audit.key.encode() or None


def history(settings: Settings, order_id: str) -> int:
    from commands.audit.log import AuditLog
    from projections.audit.history import order_history

    log = AuditLog(settings.database.url).ready()
    events = log.stream(uuid.UUID(order_id))
    log.close()
    if not events:
        sys.stderr.write(f"no such order: {order_id}\n")
        return 1
    _print_json(order_history(events))
    return 0


def report(settings: Settings, cafe: str, date: str, as_of: str | None, fmt: str) -> int:
    from psycopg_pool import ConnectionPool

    from commands.audit.log import AuditLog
    from projections.audit.as_of import cafe_day_report_as_of
    from projections.reads.report_csv import sheet_csv

    at = dt.datetime.fromisoformat(as_of) if as_of else dt.datetime.now(dt.UTC)
    if at.tzinfo is None:
        sys.stderr.write("--as-of needs a timezone offset, e.g. 2026-11-26T12:00:00+03:00\n")
        return 2
    cafe_id, day = uuid.UUID(cafe), dt.date.fromisoformat(date)
    log = AuditLog(settings.database.url).ready()
    with ConnectionPool(settings.database.url, min_size=1, max_size=2) as pool:
        sheet = cafe_day_report_as_of(pool, log, cafe_id, day, at)
    log.close()
    if sheet is None:
        sys.stderr.write(f"no such cafe: {cafe}\n")
        return 1
    if fmt == "csv":
        sys.stdout.write(sheet_csv(sheet))
    else:
        _print_json(sheet)
    return 0


def verify(settings: Settings, checkpoint: Path | None, *, read_models: bool = True) -> int:
    from psycopg_pool import ConnectionPool
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from commands.audit.chain import Checkpoint, check_checkpoint, verify_chain
    from commands.audit.log import AuditLog
    from projections.audit.verify import verify_read_models
    from projections.audit.views import Mismatch, VerifyReport
    from projections.engine.schema import setup
    from projections.models.catalogue import ALL

    log = AuditLog(settings.database.url).ready()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    mismatches: list[Mismatch] = []
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("hash chain", total=None)
        chain = verify_chain(
            log, progress=lambda at, last: progress.update(task, completed=at, total=last)
        )
        breaks = list(chain.breaks)
        if checkpoint is not None:
            point = msgspec.json.decode(checkpoint.read_bytes(), type=Checkpoint)
            if (found := check_checkpoint(log, point, _key(settings))) is not None:
                breaks.append(found)
        mismatches += [
            Mismatch(kind="log", detail=b.detail, position=b.position, problem=b.problem)
            for b in breaks
        ]
        compared = 0
        if read_models:
            replay = progress.add_task("read models", total=None)
            with ConnectionPool(settings.database.url, min_size=1, max_size=2) as pool:
                setup(pool, ALL)
                found_models = verify_read_models(
                    pool,
                    read_batch=log.read,
                    progress=lambda at, last: progress.update(replay, completed=at, total=last),
                )
            mismatches += found_models.mismatches
            compared = found_models.position
    log.close()
    result = VerifyReport(
        ok=not mismatches,
        checked_events=chain.checked_events,
        mismatches=tuple(mismatches),
        head=chain.head,
        head_hash=chain.head_hash,
        compared_up_to=compared,
    )
    _print_json(result)
    for m in mismatches:
        where = (
            f"position {m.position}"
            if m.position is not None
            else f"{m.projection}.{m.table} {m.key}"
        )
        sys.stderr.write(
            f"MISMATCH {m.kind} at {where}: {m.problem or ', '.join(m.fields)} {m.detail}\n"
        )
    return 0 if result.ok else 1


def checkpoint(settings: Settings) -> int:
    from commands.audit.chain import checkpoint as take
    from commands.audit.log import AuditLog

    log = AuditLog(settings.database.url).ready()
    _print_json(take(log, dt.datetime.now(dt.UTC), _key(settings)))
    log.close()
    return 0
