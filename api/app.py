"""The Litestar app: routes, guards, the error table, CORS, metrics and OpenAPI at /schema."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from litestar import Litestar, Request, Router
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from redis.asyncio import Redis

from api import openapi
from api.auth import Tokens, User, authenticate, current_user
from api.context import Context, Ctx, provide_context
from api.errors import handle_exception
from api.guards import in_directory, in_order
from api.headers import add_security_headers
from api.metrics import Metrics, Observe
from api.ratelimit import RateLimit, RateLimits
from api.routes import (
    audit,
    auth,
    cafe_admin,
    cafe_requests,
    cafes,
    dispatches,
    employees,
    health,
    miniapp,
    orders,
    recommendations,
    reports,
    stats,
)
from api.strict_body import strict_json_body
from commands.executor import utc_now
from commands.group_commit import GroupCommit
from commands.service import LunchService
from commands.settings import Settings
from projections.reads.async_reads import AsyncReads
from projections.reads.queries import Queries

MAX_BODY_BYTES = 1_000_000


def provide_user(request: Request[Any, Any, Any], ctx: Ctx) -> User:
    """The caller. Taking ``ctx`` orders the two dependencies one after the other, which
    Litestar resolves without the task group it starts for dependencies side by side."""
    return current_user(request)


def cors_config(settings: Settings) -> CORSConfig | None:
    """Production: only the Mini App's origin; development: any origin."""
    headers = ["Authorization", "Content-Type", "X-Request-ID"]
    if not settings.production:
        return CORSConfig(allow_origins=["*"], allow_headers=headers)
    if not settings.telegram.miniapp_url:
        return None
    parts = urlsplit(settings.telegram.miniapp_url)
    return CORSConfig(allow_origins=[f"{parts.scheme}://{parts.netloc}"], allow_headers=headers)


def api_router(settings: Settings) -> Router:
    logins = [auth.telegram_login, auth.auth_config, auth.me]
    if settings.auth.dev_login:
        logins.append(auth.dev_login)
    return Router(
        "/api",
        guards=[in_order(authenticate, in_directory, strict_json_body)],
        dependencies={"user": Provide(provide_user, sync_to_thread=False)},
        security=[{"bearer": []}],
        route_handlers=[
            *logins,
            cafes.list_cafes,
            cafes.cafe_menu,
            cafe_admin.router,
            orders.place_order,
            orders.change_order,
            orders.cancel_order,
            orders.my_orders,
            orders.one_order,
            orders.orders_of_day,
            employees.router,
            reports.cafe_day_report,
            reports.period_report,
            cafe_requests.router,
            dispatches.cafe_dispatches,
            dispatches.resend_dispatch,
            stats.my_stats,
            audit.order_events,
            audit.order_at,
            audit.verify,
            audit.event_log,
            recommendations.my_recommendations,
        ],
    )


def create_app(  # noqa: PLR0913
    settings: Settings,
    service: LunchService,
    queries: Queries,
    redis: Redis,
    *,
    now: Any = utc_now,
    miniapp_dist: Path = miniapp.DIST,
    init_data_max_age: dt.timedelta = dt.timedelta(hours=24),
    rate_limits: RateLimits | None = None,
    reads: AsyncReads | None = None,
) -> Litestar:
    """The app over an already built service, queries and Redis client (see api.main).
    The hot reads (``reads``) default to an async pool on the queries' database, opened
    and closed with the app."""
    settings.check()
    if reads is None:
        conninfo = queries.pool.conninfo if queries is not None else ""
        reads = AsyncReads(conninfo if isinstance(conninfo, str) else conninfo())
    metrics = Metrics()
    tokens = Tokens(settings.auth.jwt_secret, now=now)
    ctx = Context(
        settings=settings,
        service=service,
        queries=queries,
        reads=reads,
        redis=redis,
        tokens=tokens,
        metrics=metrics,
        now=now,
        # Bound late: the service's method is looked up when a group is written.
        writes=GroupCommit(lambda commands: service.execute_many(commands)),  # noqa: PLW0108
        init_data_max_age=init_data_max_age,
    )
    app = Litestar(
        route_handlers=[
            api_router(settings),
            health.health,
            health.health_of,
            health.metrics,
            miniapp.miniapp_routes(miniapp_dist),
        ],
        dependencies={"ctx": Provide(provide_context, sync_to_thread=False)},
        state=State({"ctx": ctx, "tokens": tokens}),
        exception_handlers={Exception: handle_exception},
        middleware=[Observe(metrics), RateLimit(redis, tokens, rate_limits or RateLimits(), now)],
        before_send=[add_security_headers],
        on_startup=[reads.open],
        on_shutdown=[reads.close],
        request_max_body_size=MAX_BODY_BYTES,
        cors_config=cors_config(settings),
        openapi_config=openapi.config(),
        logging_config=None,
    )
    openapi.describe(app)
    return app
