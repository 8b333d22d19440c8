"""`lunch projections status|parked|retry` against a real database."""

from __future__ import annotations

import uuid

import msgspec
import pytest
from psycopg_pool import ConnectionPool

from commands.settings import DatabaseSettings, Settings
from commands.store import EventStore
from ops import admin
from ops.cli import parser
from projections.engine.handling import Delivery, park
from projections.models import orders
from projections.reads.queries import Queries
from tests.integration.history import DAY, History, office_history
from tests.integration.read_side import deliver


def lunch(database_url: str, *argv: str) -> int:
    return admin.projections(
        Settings(database=DatabaseSettings(url=database_url)), parser().parse_args(argv)
    )


def test_parked_lists_and_retry_reapplies(
    database_url: str,
    store: EventStore,
    pool: ConnectionPool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A parked order shows in `parked`; `retry` applies it and empties the list; a message
    that still fails stays parked and the command exits 1."""
    h = History()
    events, blini, _ = office_history(h)
    store.append(events)
    recorded = store.read(0, 1000)
    placed = next(r for r in recorded if r.event.__struct_config__.tag == "Order.Placed")
    deliver(pool, [r for r in recorded if r.notification_id != placed.notification_id])
    with pool.connection() as conn:
        conn.execute("DELETE FROM read.tracking WHERE projection = 'orders'")
        park(conn.cursor(), orders.projection, Delivery.of(placed), "RuntimeError: database hiccup")
    poison = Delivery(
        key="cafe-x",
        notification_id=10_000,
        type="Order.Placed",
        payload=b"{}",
        originator_id=uuid.uuid4(),
        originator_version=1,
    )
    with pool.connection() as conn:
        park(conn.cursor(), orders.projection, poison, "DecodeError")

    assert lunch(database_url, "projections", "parked", "orders") == 0
    listing = msgspec.json.decode(capsys.readouterr().out)
    assert [(p["key"], p["error"]) for p in listing] == [
        (str(blini.id), "RuntimeError: database hiccup"),
        ("cafe-x", "DecodeError"),
    ]

    assert lunch(database_url, "projections", "retry", "orders", str(blini.id)) == 0
    result = msgspec.json.decode(capsys.readouterr().out)
    assert (result["applied"], result["remaining"]) == (1, 0)
    assert Queries(pool).order(placed.event.order_id) is not None  # type: ignore[union-attr]
    assert [o.date for o in Queries(pool).orders_of(2001, DAY, DAY)] == [DAY]

    assert lunch(database_url, "projections", "retry", "orders", "cafe-x") == 1
    assert msgspec.json.decode(capsys.readouterr().out)["remaining"] == 1


def test_status_shows_lag_and_seconds(
    database_url: str, store: EventStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """`status` prints each projection with its lag in events and in seconds."""
    events, _, _ = office_history(History())
    store.append(events)

    assert lunch(database_url, "projections", "status") == 0

    out = capsys.readouterr().out
    assert "seconds" in out
    assert "sheets" in out


def test_an_unknown_projection_is_refused(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown projection is refused."""
    with pytest.raises(SystemExit) as exited:
        lunch(database_url, "projections", "retry", "nope", "key")
    assert exited.value.code == 2
    assert "unknown projection 'nope'" in capsys.readouterr().err
