"""The notifier's Prometheus metrics (served on their own port by the runner when set)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class NotifierMetrics:
    """A registry per notifier, so tests running several never collide in the global one."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.dispatches = Counter(
            "lunch_dispatches",
            "Cafe dispatches by outcome: sent, failed, logged (no bot token), skipped",
            ["outcome"],
            registry=self.registry,
        )
        self.in_doubt = Counter(
            "lunch_dispatches_in_doubt",
            "Dispatches found in doubt (attempted, outcome never recorded) and sent again",
            registry=self.registry,
        )
        self.latency = Histogram(
            "lunch_dispatch_latency_seconds",
            "From the closure being recorded to the cafe's message accepted by Telegram",
            buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
            registry=self.registry,
        )
        self.bot_api_errors = Counter(
            "lunch_telegram_errors",
            "Bot API errors by code (429, 403, 400, 5xx, network)",
            ["code"],
            registry=self.registry,
        )

    def bot_api_error(self, code: str) -> None:
        self.bot_api_errors.labels(code).inc()
