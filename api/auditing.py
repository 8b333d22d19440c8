"""What the audit routes share: the app's audit log, moments, verification, export lines.
The reports route uses the log and the moment too; the cafe-day report as of a moment is
``projections.audit.as_of.cafe_day_report_as_of``, as in ``lunch audit report``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import msgspec
from litestar import Litestar
from psycopg_pool import ConnectionPool

from api.schemas import check_date
from commands.audit.chain import verify_chain
from commands.audit.log import AuditLog
from domain.errors import InvalidRequest
from projections.audit.verify import verify_read_models
from projections.audit.views import Mismatch, VerifyReport


def audit_log(app: Litestar) -> AuditLog:
    """The app's audit log, opened on first use and closed with the app."""
    log: AuditLog | None = app.state.get("audit_log")
    if log is None:
        ctx = app.state.ctx
        log = AuditLog(ctx.settings.database.url)
        app.state["audit_log"] = log
        app.on_shutdown.append(log.close)
    return log


def moment(value: dt.datetime | None, field: str = "as_of") -> dt.datetime | None:
    """A query's moment: it must carry a timezone offset."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise InvalidRequest(
            f"{field} needs a timezone offset, e.g. 2026-11-26T12:00:00+03:00", field=field
        )
    check_date(value.date(), field)
    return value


def verify_all(log: AuditLog, pool: ConnectionPool, *, read_models: bool = True) -> VerifyReport:
    """The hash chain recomputed, then (unless told not to) every read model replayed and
    compared with the live one."""
    chain = verify_chain(log)
    mismatches = [
        Mismatch(kind="log", detail=b.detail, position=b.position, problem=b.problem)
        for b in chain.breaks
    ]
    compared = 0
    if read_models:
        found = verify_read_models(pool, read_batch=log.read)
        mismatches += found.mismatches
        compared = found.position
    return VerifyReport(
        ok=not mismatches,
        checked_events=chain.checked_events,
        mismatches=tuple(mismatches),
        head=chain.head,
        head_hash=chain.head_hash,
        compared_up_to=compared,
    )


class LogLine(msgspec.Struct, frozen=True, kw_only=True):
    """One event of the export: its place, its stored content verbatim, and its seal."""

    notification_id: int
    originator_id: uuid.UUID
    originator_version: int
    type: str
    event: msgspec.Raw
    hash: str


def log_lines(log: AuditLog, start: dt.datetime | None, end: dt.datetime | None) -> Iterator[bytes]:
    """The export's lines, read a batch at a time as the client takes them."""
    encoder = msgspec.json.Encoder()
    for row in log.ready().between(start, end):
        line = LogLine(
            notification_id=row.notification_id,
            originator_id=row.originator_id,
            originator_version=row.originator_version,
            type=row.topic,
            event=msgspec.Raw(row.state),
            hash=(row.hash or b"").hex(),
        )
        yield encoder.encode(line) + b"\n"
