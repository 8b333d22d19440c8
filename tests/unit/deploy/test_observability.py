"""Prometheus scrape config, alert rules and the Grafana dashboard refer to real things."""

from __future__ import annotations

import json
import re

from ops.components import COMPONENTS
from tests.unit.deploy.files import ROOT, load, read_by_code

_METRIC = re.compile(r"\blunch_[a-z_]+")
_SUFFIXES = ("_total", "_bucket", "_count", "_sum")


def metric_base(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def unknown_metrics(text: str) -> set[str]:
    names = {metric_base(n) for n in _METRIC.findall(text)}
    return {n for n in names if not read_by_code(n)}


def test_every_component_is_scraped() -> None:
    """One scrape job per component, and the alert rules are loaded."""
    config = load("ops/prometheus.yml")
    jobs = {job["job_name"] for job in config["scrape_configs"]}
    assert {f"lunch-{name}" for name in COMPONENTS} <= jobs
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]


def test_dispatch_alert_queries_the_notifier_labels() -> None:
    """The failed-dispatch alert and the dashboard select statuses the notifier counts."""
    text = (ROOT / "notifier" / "metrics.py").read_text()
    assert '["status"]' in text
    for status in ("failed", "in_doubt"):
        assert status in text
    alerts = (ROOT / "ops" / "alerts.yml").read_text()
    assert 'lunch_dispatches_total{status=~"failed|in_doubt"}' in alerts


def test_alerts_cover_lag_dispatch_failures_and_dead_consumers() -> None:
    """The rules alert on projection lag, failed dispatches and consumers that stopped."""
    rules = [rule for group in load("ops/alerts.yml")["groups"] for rule in group["rules"]]
    names = {rule["alert"] for rule in rules}
    assert {"LunchProjectionLagging", "LunchDispatchFailed", "LunchConsumerDown"} <= names
    assert {"LunchComponentDown", "LunchMessagesParked"} <= names
    for rule in rules:
        assert rule["labels"]["severity"] in ("warning", "critical"), rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]


def test_rules_and_dashboard_name_metrics_the_code_exports() -> None:
    """Every lunch_* metric in the rules and the dashboard is defined in the code."""
    assert unknown_metrics((ROOT / "ops" / "alerts.yml").read_text()) == set()
    assert (
        unknown_metrics((ROOT / "ops" / "grafana" / "dashboards" / "lunch.json").read_text())
        == set()
    )


def test_dashboard_is_valid_grafana_json() -> None:
    """The dashboard parses, has a uid, and each panel queries the provisioned datasource."""
    dashboard = json.loads((ROOT / "ops" / "grafana" / "dashboards" / "lunch.json").read_text())
    assert dashboard["uid"] == "lunch"
    for panel in dashboard["panels"]:
        assert panel["targets"], panel["title"]
        assert panel["datasource"]["uid"] == "prometheus"
    sources = load("ops/grafana/provisioning/datasources/prometheus.yml")["datasources"]
    assert sources[0]["uid"] == "prometheus"


def test_observability_compose_file_mounts_these_files() -> None:
    """compose.observability.yml mounts the scrape config, the rules and the dashboards."""
    services = load("compose.observability.yml")["services"]
    mounts = " ".join(services["prometheus"]["volumes"] + services["grafana"]["volumes"])
    for path in ("ops/prometheus.yml", "ops/alerts.yml", "ops/grafana/dashboards"):
        assert f"./{path}" in mounts
        assert (ROOT / path).exists()
