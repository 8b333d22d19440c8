"""As of now, a replay of the event store equals the live read models; before the first
event there is nothing (hypothesis over random order histories)."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg_pool import ConnectionPool

from commands.audit.log import AuditLog, install_audit
from commands.store import EventStore
from domain import events as ev
from domain.ids import order_id
from projections.audit.as_of import cafe_day_as_of, order_as_of
from projections.reads.queries import Queries
from tests.integration.history import DAY, History, cancel, hire, open_cafe, place
from tests.integration.history import Cafe as CafeFixture
from tests.integration.read_side import deliver

EMPLOYEES = itertools.count(100_000)

# Per step: who (one of four people) does what.
Step = tuple[int, str]
steps = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(["place", "change", "cancel", "close"])),
    max_size=14,
)


def _history(h: History, cafe: CafeFixture, people: list[int], plan: list[Step]) -> list[object]:
    """Valid events for ``plan``: place only when not placed, change/cancel only when placed."""
    events: list[object] = [hire(h, tg, f"P{tg}") for tg in people]
    placed: set[int] = set()
    for who, action in plan:
        tg = people[who]
        if action == "place" and tg not in placed:
            events.append(place(h, cafe, tg, extras=who))
            placed.add(tg)
        elif action == "change" and tg in placed:
            oid, version, event = place(h, cafe, tg, extras=who + 1, note="changed")
            assert isinstance(event, ev.OrderPlaced)
            changed = ev.OrderChanged(**{f: getattr(event, f) for f in event.__struct_fields__})
            events.append((oid, version, changed))
        elif action == "cancel" and tg in placed:
            events.append(cancel(h, cafe, tg))
            placed.discard(tg)
        elif action == "close":
            closed = ev.OrderingClosed(at=h.tick(), actor=ev.SYSTEM, cafe_id=cafe.id, date=DAY)
            events.append(h(cafe.id, closed))
    return events


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=steps)
def test_as_of_now_equals_the_live_read_models(
    database_url: str, store: EventStore, pool: ConnectionPool, plan: list[Step]
) -> None:
    """For any history: the order and the cafe-day sheet as of now equal the live read
    models; as of before the first event the order is absent and the sheet empty."""
    install_audit(database_url)
    h = History()
    cafe = CafeFixture("Blini")
    people = [next(EMPLOYEES) for _ in range(4)]
    first = store.head()
    store.append([*open_cafe(h, cafe), *_history(h, cafe, people, plan)])  # type: ignore[list-item]
    deliver(pool, store.read(first, 1000))
    log, queries = AuditLog(database_url), Queries(pool)
    now = dt.datetime.now(dt.UTC)
    before = h.tick() - dt.timedelta(days=1)
    try:
        for tg in people:
            oid = order_id(tg, DAY)
            stream = log.stream(oid)
            assert order_as_of(pool, oid, stream, now) == queries.order(oid)
            assert order_as_of(pool, oid, stream, before) is None
        day = log.cafe_day(cafe.id, DAY)
        live = queries.cafe_day_sheet(cafe.id, DAY, as_of=now)
        assert cafe_day_as_of(pool, cafe.id, DAY, now, day) == live
        empty = cafe_day_as_of(pool, cafe.id, DAY, before, day)
        assert empty is None or (empty.orders_count, empty.orders, empty.late) == (0, (), ())
    finally:
        log.close()
