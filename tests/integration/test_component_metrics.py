"""Components without HTTP serve metrics on LUNCH_METRICS_PORT; the health check asks it."""

from __future__ import annotations

import urllib.request

from ops.embedded import free_port
from ops.healthcheck import main as healthcheck
from ops.metrics_server import serve_metrics


def test_metrics_port_serves_process_metrics_and_passes_the_health_check() -> None:
    """With LUNCH_METRICS_PORT set, /metrics answers with process metrics; health check 0."""
    port = free_port()
    assert serve_metrics({"LUNCH_METRICS_PORT": str(port), "LUNCH_METRICS_HOST": "127.0.0.1"})
    url = f"http://127.0.0.1:{port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as response:
        body = response.read().decode()
    assert "process_cpu_seconds_total" in body or "python_info" in body
    assert healthcheck([url]) == 0


def test_health_check_fails_when_nothing_answers() -> None:
    """A port nobody listens on makes the health check exit 1."""
    assert healthcheck([f"http://127.0.0.1:{free_port()}/metrics"]) == 1


def test_no_port_no_server() -> None:
    """Without LUNCH_METRICS_PORT nothing is started (as in `lunch run`)."""
    assert serve_metrics({}) is None
