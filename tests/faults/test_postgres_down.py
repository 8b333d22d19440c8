"""PostgreSQL unreachable while the API takes orders: 503 (never 500), nothing half-written,
and the same request succeeds once PostgreSQL is back.

Uses an embedded PostgreSQL of its own (pgserver), so stopping it disturbs no one.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from psycopg_pool import ConnectionPool
from redis.asyncio import Redis

from api.app import create_app
from commands.audit.log import install_audit
from commands.service import LunchService
from commands.store.postgres import PostgresEventStore
from domain.ids import order_id
from ops.postgres import EmbeddedPostgres
from projections.engine.schema import setup
from projections.models.catalogue import ALL
from projections.reads.queries import Queries
from tests.faults.day import audit_verify
from tests.faults.figures import record
from tests.integration.api.conftest import EMPLOYEE, NOW, OTHER, TODAY, Clock, login, settings_for
from tests.integration.api.office import seed

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]


class PostgresOnOnePort(EmbeddedPostgres):
    """Stops and starts again on the same port, as a restarted database server does.
    (Its pg_ctl runner is the parent's; ``start`` would pick a new port.)"""

    def down(self) -> None:
        self._prepare()  # another pytest session may have closed the temp dirs' modes
        self._run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.pgdata))

    def up(self) -> None:
        self._prepare()
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories=''"
        log = str(self.pgdata / "server.log")
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.pgdata), "-l", log,
                  "-o", options)  # fmt: skip


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[PostgresOnOnePort]:
    server = PostgresOnOnePort(tmp_path / "pg")
    server.start()
    yield server
    server._prepare()
    server.stop()


@pytest.fixture
def api(
    postgres: PostgresOnOnePort, redis_db_url: str, kafka_bootstrap: str, topic_prefix: str
) -> Iterator[tuple[TestClient[Any], LunchService]]:
    settings = settings_for(postgres.url, redis_db_url, kafka_bootstrap, topic_prefix, False)
    store = PostgresEventStore(postgres.url)
    store.setup()
    install_audit(postgres.url)
    pool = ConnectionPool(postgres.url, min_size=1, max_size=4, timeout=5, open=True)
    setup(pool, ALL)
    clock = Clock(NOW)
    service = LunchService(store, now=clock.now, new_id=uuid.uuid4)
    redis = Redis.from_url(redis_db_url)
    app = create_app(settings, service, Queries(pool), redis, now=clock.now)
    app.on_shutdown.append(redis.aclose)
    with TestClient(app) as client:
        yield client, service
    pool.close()
    store.close()


def test_orders_get_503_while_postgres_is_down_and_nothing_half_written(
    postgres: PostgresOnOnePort, api: tuple[TestClient[Any], LunchService], tmp_path: Path
) -> None:
    """Three orders while PostgreSQL is down: 503 each; afterwards one 201 and one event."""
    client, service = api
    office = seed(client, read_side=False)
    body = {
        "cafe_id": office.cafe_id,
        "date": TODAY.isoformat(),
        "combo_id": office.light,
        "dishes": {"salad": office.dishes["Оливье"], "main": office.dishes["Котлета"]},
    }
    first = client.post("/api/orders", json=body, headers=login(client, EMPLOYEE))
    assert first.status_code == 201, first.text
    other = login(client, OTHER)

    postgres.down()
    started = time.monotonic()
    during = [client.post("/api/orders", json=body, headers=other) for _ in range(3)]
    waited = time.monotonic() - started
    postgres.up()

    statuses = [r.status_code for r in during]
    print(f"FIGURES postgres down: answers={statuses} in {waited:.1f}s")
    assert set(statuses) == {503}, [r.text for r in during]
    assert {r.json()["error"]["code"] for r in during} == {"unavailable"}

    after = client.post("/api/orders", json=body, headers=other)
    for _ in range(100):
        if after.status_code != 503:
            break
        time.sleep(0.2)
        after = client.post("/api/orders", json=body, headers=other)
    assert after.status_code == 201, after.text
    events = service.store.load(order_id(OTHER, TODAY))
    assert [type(e).__name__ for _, e in events] == ["OrderPlaced"]
    assert len(service.store.load(order_id(EMPLOYEE, TODAY))) == 1
    audit = audit_verify({**os.environ, "DATABASE_URL": postgres.url}, tmp_path / "data")
    record(
        "postgres down",
        accepted=2,
        refused=0,
        answers_while_down="/".join(map(str, statuses)),
        events_of_retried_order=len(events),
        audit_events=audit["checked_events"],
    )
