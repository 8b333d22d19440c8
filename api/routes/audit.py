"""Audit routes (auditors and managers): an order's history, an order as of a moment, the
verification of read models and of the event log, and the log itself as JSON lines."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from litestar import Request, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Stream

from api.auditing import audit_log, log_lines, moment, verify_all
from api.context import Ctx
from api.guards import managers_and_auditors
from api.openapi import errors
from api.presenters import orders_out
from api.schemas import OrderOut
from commands.audit.log import AuditLog
from domain.errors import InvalidRequest, NotFound
from domain.events import OrderEvent, Recorded
from projections.audit.as_of import order_as_of
from projections.audit.history import order_history
from projections.audit.views import AuditEvent, VerifyReport

NDJSON = "application/x-ndjson"


def provide_log(request: Request[Any, Any, Any]) -> AuditLog:
    return audit_log(request.app)


_LOG = {"log": Provide(provide_log, sync_to_thread=False)}
Log = NamedDependency[AuditLog]
_ONE_ORDER = errors(400, 401, 403, 404, 429, 503)


async def _order_stream(ctx: Ctx, log: AuditLog, order_id: uuid.UUID) -> list[Recorded]:
    events = await ctx.run(lambda: log.ready().stream(order_id))
    if not events or not isinstance(events[0].event, OrderEvent):
        raise NotFound("no such order", order_id=str(order_id))
    return events


@get(
    "/audit/orders/{order_id:uuid}/events",
    guards=[managers_and_auditors],
    tags=["audit"],
    dependencies=_LOG,
    responses=_ONE_ORDER,
)
async def order_events(ctx: Ctx, log: Log, order_id: FromPath[uuid.UUID]) -> list[AuditEvent]:
    """Every event of the order, oldest first: who, when, and what it changed."""
    return order_history(await _order_stream(ctx, log, order_id))


@get(
    "/audit/orders/{order_id:uuid}",
    guards=[managers_and_auditors],
    tags=["audit"],
    dependencies=_LOG,
    responses=_ONE_ORDER,
)
async def order_at(
    ctx: Ctx, log: Log, order_id: FromPath[uuid.UUID], as_of: FromQuery[dt.datetime | None] = None
) -> OrderOut:
    """The order as it stood at ``as_of`` (default now), replayed from its own events."""
    at = moment(as_of) or ctx.now()
    events = await _order_stream(ctx, log, order_id)
    found = await ctx.run(order_as_of, ctx.queries.pool, order_id, events, at)
    if found is None:
        raise NotFound("the order did not exist yet", order_id=str(order_id), as_of=at.isoformat())
    return orders_out([found])[0]


@get(
    "/audit/verify",
    guards=[managers_and_auditors],
    tags=["audit"],
    dependencies=_LOG,
    responses=errors(400, 401, 403, 429, 503),
)
async def verify(ctx: Ctx, log: Log, log_only: FromQuery[bool] = False) -> VerifyReport:
    """The event log's hash chain recomputed, and (unless ``log_only``) every read model
    compared with a replay of the event store up to what it has applied; the replay costs
    about as much as a rebuild. ``ok`` is false on any mismatch."""
    pool = ctx.queries.pool
    return await ctx.run(lambda: verify_all(log.ready(), pool, read_models=not log_only))


@get(
    "/audit/log",
    guards=[managers_and_auditors],
    tags=["audit"],
    dependencies=_LOG,
    media_type=NDJSON,
    responses=errors(400, 401, 403, 429, 503),
)
async def event_log(
    log: Log,
    start: Annotated[dt.datetime | None, QueryParameter(name="from")] = None,
    end: Annotated[dt.datetime | None, QueryParameter(name="to")] = None,
) -> Stream:
    """The events stamped in [from, to) (either open), in log order, one JSON object a
    line: place, stored event verbatim, and its hash in the chain. Streamed."""
    begins, ends = moment(start, "from"), moment(end, "to")
    if begins and ends and ends < begins:
        raise InvalidRequest("`to` is before `from`", field="to")
    return Stream(log_lines(log, begins, ends), media_type=NDJSON)
