"""Operations at the root, without auth: health pings and Prometheus metrics."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Literal

import msgspec
from litestar import Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api import gauges
from api.auth import PUBLIC
from api.context import Context, Ctx
from api.gauges import db_head
from api.kafka_ping import kafka_answers
from api.openapi import errors

log = logging.getLogger("lunch.api")

CHECK_SECONDS = 2.0
Status = Literal["ok", "down"]


class Health(msgspec.Struct, frozen=True, kw_only=True):
    status: Status
    checks: dict[str, Status]


class Check(msgspec.Struct, frozen=True, kw_only=True):
    status: Status


async def db_ok(ctx: Context) -> bool:
    return await db_head(ctx) is not None


async def redis_ok(ctx: Context) -> bool:
    try:
        return bool(await asyncio.wait_for(ctx.redis.ping(), CHECK_SECONDS))
    except Exception as e:  # any failure means "down"
        log.warning("redis health check failed", extra={"error": repr(e)})
        return False


async def kafka_ok(ctx: Context) -> bool:
    return await kafka_answers(ctx.settings.kafka.bootstrap_servers, wait=CHECK_SECONDS)


CHECKS: dict[str, Callable[[Context], Awaitable[bool]]] = {
    "db": db_ok,
    "redis": redis_ok,
    "kafka": kafka_ok,
}


def _status(ok: bool) -> Status:
    return "ok" if ok else "down"


@get(
    "/health",
    opt={PUBLIC: True},
    tags=["operations"],
    responses={503: ResponseSpec(Health, description="A check failed: the body names it")},
)
async def health(ctx: Ctx) -> Response[Health]:
    """200 when PostgreSQL, Redis and Kafka all answer; 503 naming the one that does not."""
    results = await asyncio.gather(*(check(ctx) for check in CHECKS.values()))
    checks = {name: _status(ok) for name, ok in zip(CHECKS, results, strict=True)}
    healthy = all(results)
    body = Health(status=_status(healthy), checks=checks)
    return Response(body, status_code=200 if healthy else 503)


@get(
    "/health/{name:str}",
    opt={PUBLIC: True},
    tags=["operations"],
    responses={503: ResponseSpec(Check, description="The service is down"), **errors(400)},
)
async def health_of(ctx: Ctx, name: FromPath[Literal["db", "redis", "kafka"]]) -> Response[Check]:
    ok = await CHECKS[name](ctx)
    return Response(Check(status=_status(ok)), status_code=200 if ok else 503)


@get("/metrics", opt={PUBLIC: True}, tags=["operations"], media_type=CONTENT_TYPE_LATEST)
async def metrics(ctx: Ctx) -> Response[bytes]:
    """Prometheus text: requests and latency per route; the event store's head, projection
    and Kafka lag, Redis memory (refreshed at most every few seconds)."""
    await gauges.refresh(ctx)
    return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)
