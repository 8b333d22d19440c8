"""The deadline race: orders hammer a cafe-day while the clock closes it."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import threading
import uuid
from collections.abc import Iterator

import pytest
from psycopg_pool import ConnectionPool

from commands.clock import close_due
from commands.messages import ComboInput, DishInput
from commands.service import LunchService
from commands.settings import DatabaseSettings, KafkaSettings, Settings
from commands.store.postgres import PostgresEventStore
from domain import events as ev
from domain.errors import DomainError, OrderingClosed
from domain.ids import order_id
from domain.order import OrderRequest
from projections.engine.relay import Relay, RelayOptions
from projections.engine.schema import setup
from projections.models.catalogue import ALL
from projections.reads.queries import Queries
from tests.integration.kafka_side import caught_up, eventually, projector, publish_all

THREADS = 8
CUTOFF = dt.datetime(2026, 11, 26, 11, 0, tzinfo=dt.UTC)
LEAD = dt.timedelta(seconds=1.5)  # the race starts this long before the cutoff
GRACE = dt.timedelta(seconds=2)  # longer than the 1 s statement timeout below
STEP = dt.timedelta(milliseconds=50)  # the clock moves this much per THREADS commands


class SteppedClock:
    """The time every command and the closer see: it moves only when the closer steps it,
    and the closer steps only after the employees ran some commands, so the race covers
    the cutoff however fast or slow the machine is."""

    def __init__(self, start: dt.datetime) -> None:
        self.instant = start
        self.commands = 0
        self.changed = threading.Condition()

    def now(self) -> dt.datetime:
        with self.changed:
            return self.instant

    def worked(self) -> None:
        with self.changed:
            self.commands += 1
            self.changed.notify_all()

    def step_after(self, commands: int, step: dt.timedelta) -> None:
        """Wait for ``commands`` more commands (bounded, should all employees be done),
        then move the time on by ``step``."""
        with self.changed:
            target = self.commands + commands
            self.changed.wait_for(lambda: self.commands >= target, timeout=1.0)
            self.instant += step


@pytest.fixture
def store(database_url: str) -> Iterator[PostgresEventStore]:
    store = PostgresEventStore(database_url, pool_size=THREADS + 2, statement_timeout_ms=1000)
    store.setup()
    yield store
    store.close()


def test_no_order_is_accepted_after_the_closure(
    store: PostgresEventStore, database_url: str, kafka_bootstrap: str, topic_prefix: str
) -> None:
    """Every accepted order precedes OrderingClosed in the log and reaches the read model
    through Kafka as it finally stood; orders after the cutoff are refused."""
    cutoff_utc = CUTOFF
    clock = SteppedClock(cutoff_utc - LEAD)
    now = clock.now

    service = LunchService(store, now=now)
    cafe = service.register_cafe("Race", "UTC", "RUB", actor="1").value
    menu = service.set_menu(
        cafe.id,
        [DishInput(name=f"Soup {i}", category="soup", price=100 * (i + 1)) for i in range(3)],
        [],
        actor="1",
    ).value
    combo = service.set_combos(
        cafe.id, [ComboInput(name="Soup", price=1000, categories=["soup"])], actor="1"
    ).value.combos[0]
    service.set_schedule(cafe.id, list(range(7)), cutoff_utc.strftime("%H:%M"), actor="1")
    day = cutoff_utc.date()
    for n in range(THREADS):
        service.upsert_employee(5000 + n, name=f"E{n}", office="HQ", actor="1")

    accepted: dict[int, list[tuple[int, str]]] = {5000 + n: [] for n in range(THREADS)}
    refused_closed = 0
    lock = threading.Lock()
    end = cutoff_utc + GRACE + dt.timedelta(seconds=1.5)

    def employee(tg_id: int) -> None:
        nonlocal refused_closed
        rng = random.Random(tg_id)
        oid: uuid.UUID | None = None
        while clock.now() < end:
            dish = rng.choice(menu.dishes)
            req = OrderRequest(
                cafe_id=cafe.id, date=day, combo_id=combo.id, dishes={"soup": dish.id}
            )
            try:
                status = accepted[tg_id][-1][1] if accepted[tg_id] else "none"
                if status in ("none", "cancelled"):
                    out = service.place_order(tg_id, req, actor=str(tg_id))
                elif rng.random() < 0.7:
                    assert oid is not None
                    out = service.change_order(oid, req, tg_id=tg_id, actor=str(tg_id))
                else:
                    assert oid is not None
                    out = service.cancel_order(oid, tg_id=tg_id, actor=str(tg_id))
                oid = out.value.id
                accepted[tg_id].append((out.notification_id, out.value.status))
            except OrderingClosed:
                with lock:
                    refused_closed += 1
            except DomainError as e:
                raise AssertionError(f"unexpected refusal: {e.message}") from e
            finally:
                clock.worked()

    def closer() -> None:
        clock_service = LunchService(store, now=now)
        while clock.now() < end:
            clock.step_after(THREADS, STEP)
            close_due(clock_service, GRACE)

    workers = [threading.Thread(target=employee, args=(5000 + n,)) for n in range(THREADS)]
    workers.append(threading.Thread(target=closer))
    for w in workers:
        w.start()
    for w in workers:
        w.join()

    log = store.read(0, 100_000)
    closures = [r for r in log if isinstance(r.event, ev.OrderingClosed) and r.event.date == day]
    assert len(closures) == 1, "the clock closes a cafe-day exactly once"
    closed_at = closures[0].notification_id
    orders = [
        r for r in log if isinstance(r.event, ev.OrderPlaced | ev.OrderChanged | ev.OrderCancelled)
    ]
    assert orders, "some orders were accepted before the cutoff"
    assert all(r.notification_id < closed_at for r in orders)
    assert refused_closed > 0, "orders after the cutoff were refused"
    final = {
        tg_id: (outcomes[-1][1], service.order(order_id(tg_id, day)).total)
        for tg_id, outcomes in accepted.items()
        if outcomes
    }
    assert {tg_id: service.order(order_id(tg_id, day)).status for tg_id in final} == {
        tg_id: status for tg_id, (status, _) in final.items()
    }
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        kafka=KafkaSettings(
            bootstrap_servers=kafka_bootstrap, topic_prefix=topic_prefix, idempotence=False
        ),
    )
    asyncio.run(project_everything(store, settings))
    with ConnectionPool(database_url, min_size=1, max_size=2) as pool:
        projected = {o.tg_id: (o.status, o.total) for o in Queries(pool).orders_on(day, cafe.id)}
    assert projected == final


async def project_everything(store: PostgresEventStore, settings: Settings) -> None:
    """Relay the whole log through Kafka and run the projector until it has caught up."""
    relay = Relay(
        store,
        bootstrap_servers=settings.kafka.bootstrap_servers,
        topic=settings.kafka.events_topic,
        options=RelayOptions(idempotence=False),
    )
    await relay.start()
    try:
        await publish_all(relay)
        with ConnectionPool(settings.database.url, min_size=1, max_size=2) as pool:
            setup(pool, ALL)
            async with projector(settings):
                await eventually(caught_up(pool, store), "the projections to catch up")
    finally:
        await relay.stop()
