"""/metrics: the event store's head, projection and Kafka lag, Redis memory; cheap scrapes."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api import gauges
from commands.store import EventStore
from tests.integration.api.conftest import MANAGER, login, wait_for
from tests.integration.api.office import seed

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: TestClient[Any]) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def by_projection(samples: Samples, name: str) -> dict[str, float]:
    return {dict(labels)["projection"]: v for (n, labels), v in samples.items() if n == name}


def test_gauges_show_the_pipeline_caught_up(
    client: TestClient[Any], store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once relay and projector have applied everything: head = the store's head, no lag."""
    monkeypatch.setattr(gauges, "REFRESH_SECONDS", 0.0)
    seed(client)

    def caught_up() -> Samples | None:
        samples = scrape(client)
        lags = by_projection(samples, "lunch_projection_lag_events")
        consumer = by_projection(samples, "lunch_kafka_consumer_lag_messages")
        done = (
            samples.get(("lunch_relay_lag_events", ())) == 0
            and lags
            and not any(lags.values())
            and consumer
            and not any(consumer.values())
        )
        return samples if done else None

    samples = wait_for(caught_up)
    head = store.head()
    assert head > 0
    assert samples[("lunch_event_store_head", ())] == head
    applied = by_projection(samples, "lunch_projection_applied")
    assert 0 < applied["menus"] <= head
    assert set(by_projection(samples, "lunch_kafka_consumer_lag_messages")) >= {
        "menus",
        "orders",
        "employees",
    }
    assert all(v == 0 for v in by_projection(samples, "lunch_projection_lag_seconds").values())
    assert samples[("lunch_redis_used_memory_bytes", ())] > 100_000


def test_lag_shows_while_the_read_side_is_stopped(
    write_client: TestClient[Any], store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without relay and projector, every projection lags by the whole store, in events
    and in seconds."""
    monkeypatch.setattr(gauges, "REFRESH_SECONDS", 0.0)
    seed(write_client, read_side=False)
    samples = scrape(write_client)
    head = store.head()
    assert samples[("lunch_event_store_head", ())] == head
    assert by_projection(samples, "lunch_projection_lag_events")["menus"] == head
    # The test clock stands still, so the wait is measured against that clock.
    assert all(v >= 0 for v in by_projection(samples, "lunch_projection_lag_seconds").values())


def test_a_scrape_soon_after_another_reuses_its_gauges(write_client: TestClient[Any]) -> None:
    """Gauges are refreshed at most every few seconds; request counts are always current."""
    first = scrape(write_client)
    assert first[("lunch_event_store_head", ())] == 0
    login(write_client, MANAGER)  # may write nothing, but is counted
    write_client.post(
        "/api/cafes",
        json={"name": "Новое", "timezone": "Europe/Moscow"},
        headers=login(write_client, MANAGER),
    )
    second = scrape(write_client)
    assert second[("lunch_event_store_head", ())] == 0
    key = (
        "lunch_http_requests_total",
        (("method", "POST"), ("route", "/api/cafes"), ("status", "201")),
    )
    assert second[key] == 1
    write_client.app.state.ctx.metrics.refreshed_at = float("-inf")
    assert scrape(write_client)[("lunch_event_store_head", ())] > 0
