"""The notifier's Prometheus metrics.

Each notifier has its own registry (tests run several in one process). While it runs, the
runner adds that registry to the process's default one, so the component metrics endpoint
(``LUNCH_METRICS_PORT``, which compose sets and Prometheus scrapes) serves these next to the
process metrics; ``NOTIFIER_METRICS_PORT`` serves them alone.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class NotifierMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.dispatches = Counter(
            "lunch_dispatches",
            "Cafe dispatches by status: sent, failed, logged (no bot token), skipped, and"
            " in_doubt (found attempted without an outcome, so sent again as a repeat)",
            ["status"],
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
