"""`lunch audit history` and `lunch audit report` against a real event store."""

from __future__ import annotations

import csv
import datetime as dt
import io

import msgspec
import pytest
from psycopg_pool import ConnectionPool

from commands.settings import DatabaseSettings, Settings
from commands.store import EventStore
from domain.ids import order_id
from ops import admin
from tests.integration.history import DAY, History, at, office_history


@pytest.mark.usefixtures("pool")
def test_history_and_report_as_of(
    database_url: str, store: EventStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """History lists Vera's placement and cancellation with the status change; the report
    as of before her cancellation counts her, the report as of the end does not."""
    events, blini, _ = office_history(History())
    store.append(events)
    settings = Settings(database=DatabaseSettings(url=database_url))

    assert admin.audit_history(settings, str(order_id(2003, DAY))) == 0
    history = msgspec.json.decode(capsys.readouterr().out)
    assert [e["type"] for e in history] == ["Order.Placed", "Order.Cancelled"]
    assert history[1]["changes"] == [{"field": "status", "before": "placed", "after": "cancelled"}]

    cancelled_at = dt.datetime.fromisoformat(history[1]["at"])
    before = (cancelled_at - dt.timedelta(seconds=1)).isoformat()
    assert admin.audit_report(settings, str(blini.id), DAY.isoformat(), before, "json") == 0
    assert [o["name"] for o in msgspec.json.decode(capsys.readouterr().out)["orders"]] == [
        "Anna",
        "Vera",
    ]
    end = at(10_000).isoformat()
    assert admin.audit_report(settings, str(blini.id), DAY.isoformat(), end, "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["name"] for r in rows] == ["Anna"]


def test_an_unknown_order_exits_1(
    database_url: str, store: EventStore, pool: ConnectionPool
) -> None:
    """History of an order that was never placed is an error, not an empty list."""
    settings = Settings(database=DatabaseSettings(url=database_url))
    assert admin.audit_history(settings, str(order_id(999, DAY))) == 1
