"""Prometheus metrics for components without an HTTP server of their own.

With ``LUNCH_METRICS_PORT`` set, ``lunch serve <component>`` serves the default registry
(process CPU, memory, open files, GC, and whatever the component registers there) on that
port. Compose sets it for relay, projector, notifier, clock and recommender; Prometheus
scrapes it, and the container health check asks it. The api has ``/metrics`` on its own port.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

log = logging.getLogger("lunch.metrics")
PORT = "LUNCH_METRICS_PORT"


def serve_metrics(environ: Mapping[str, str]) -> int | None:
    """Start the metrics endpoint in a daemon thread when asked; returns its port."""
    raw = environ.get(PORT, "").strip()
    if not raw:
        return None
    from prometheus_client import start_http_server

    port = int(raw)
    start_http_server(port, addr=environ.get("LUNCH_METRICS_HOST", "0.0.0.0"))  # noqa: S104 - a container's port
    log.info("metrics on port %d", port)
    return port
