"""Prometheus metrics of one api process, and the middleware that logs and counts requests."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

log = logging.getLogger("lunch.api")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class Metrics:
    """A registry per app, so several apps (tests) never collide in the global one."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "lunch_http_requests",
            "HTTP requests answered, by route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "lunch_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template",
            ["method", "route"],
            registry=self.registry,
        )
        self.event_store_head = Gauge(
            "lunch_event_store_head",
            "Highest notification id in the event store",
            registry=self.registry,
        )
        self.projection_applied = Gauge(
            "lunch_projection_applied",
            "Highest notification id a projection has applied",
            ["projection"],
            registry=self.registry,
        )
        self.projection_lag = Gauge(
            "lunch_projection_lag_events",
            "Events in the store after the last one a projection applied",
            ["projection"],
            registry=self.registry,
        )
        self.projection_lag_seconds = Gauge(
            "lunch_projection_lag_seconds",
            "How long the oldest event a projection has not reached has waited",
            ["projection"],
            registry=self.registry,
        )
        self.projection_parked = Gauge(
            "lunch_projection_parked",
            "Messages a projection parked after failing to apply them",
            ["projection"],
            registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "lunch_kafka_consumer_lag_messages",
            "Messages the relay published that a projection's consumer group has not handled",
            ["projection"],
            registry=self.registry,
        )
        self.relay_lag = Gauge(
            "lunch_relay_lag_events",
            "Events in the store after the last one the relay published to Kafka",
            registry=self.registry,
        )
        self.redis_used_memory = Gauge(
            "lunch_redis_used_memory_bytes",
            "Memory Redis reports in use (INFO memory, used_memory)",
            registry=self.registry,
        )
        # The gauges above are refreshed by api.gauges, at most every few seconds.
        self.refreshing = asyncio.Lock()
        self.refreshed_at = float("-inf")


class Observe(ASGIMiddleware):
    """Gives each request an id (X-Request-ID), logs it as one JSON line, counts it."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        headers = dict(scope.get("headers", []))
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else os.urandom(16).hex()
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)["x-request-id"] = request_id
            await send(message)

        try:
            await next_app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("path_template") or "unmatched"
            method = scope.get("method", "GET")
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(elapsed)
            user = scope.get("user")
            log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": method,
                    "path": scope.get("path", ""),
                    "route": route,
                    "status": status,
                    "ms": round(elapsed * 1000, 1),
                    "tg_id": getattr(user, "tg_id", None),
                    "error": state.get("error"),
                },
            )
