"""Prometheus gauges of the key pool and the last run, served by the recommender process."""

from __future__ import annotations

import logging
import typing

from prometheus_client import CollectorRegistry, Gauge, start_http_server

from recommender.keys import KeyState, State
from recommender.nightly import Summary

log = logging.getLogger("lunch.recommender")

STATES: tuple[State, ...] = typing.get_args(State)


class RecommenderMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests_today = Gauge(
            "lunch_gemini_key_requests_today",
            "Gemini requests reserved on the key today (quota day, Pacific time)",
            ["key"],
            registry=self.registry,
        )
        self.key_state = Gauge(
            "lunch_gemini_key_state",
            "1 for the key's current state: ready, exhausted, cooling or disabled",
            ["key", "state"],
            registry=self.registry,
        )
        self.last_run = Gauge(
            "lunch_recommender_last_run_employees",
            "Employees given suggestions by the last run, per source",
            ["source"],
            registry=self.registry,
        )
        self.last_run_requests = Gauge(
            "lunch_recommender_last_run_gemini_requests",
            "Gemini requests the last run made",
            registry=self.registry,
        )

    def keys(self, states: list[KeyState]) -> None:
        for key in states:
            self.requests_today.labels(key.fingerprint).set(key.used_today)
            for state in STATES:
                self.key_state.labels(key.fingerprint, state).set(int(key.state == state))

    def run(self, summary: Summary) -> None:
        self.last_run.labels("gemini").set(summary.gemini)
        self.last_run.labels("fallback").set(summary.fallback)
        self.last_run_requests.set(summary.requests)

    def serve(self, port: int, host: str = "127.0.0.1") -> None:
        """Serve /metrics on ``port`` (0: not at all); a port in use is logged, not fatal."""
        if not port:
            return
        try:
            start_http_server(port, addr=host, registry=self.registry)
        except OSError as e:
            log.warning("recommender metrics not served", extra={"port": port, "error": str(e)})
