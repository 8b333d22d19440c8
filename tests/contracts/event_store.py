"""The event store's behaviour, whatever holds the events: subclass with a ``store``
fixture to run it against an implementation (in memory: unit; PostgreSQL: integration)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from commands.store import Conflict, EventStore
from domain import events as ev
from domain import spend as spend_model

AT = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)


def renamed(cafe_id: uuid.UUID, name: str) -> ev.CafeRenamed:
    return ev.CafeRenamed(cafe_id=cafe_id, name=name, at=AT, actor="1")


def registered(cafe_id: uuid.UUID) -> ev.CafeRegistered:
    return ev.CafeRegistered(
        cafe_id=cafe_id, name="Blini", timezone="Europe/Moscow", at=AT, actor="1"
    )


class EventStoreContract:
    def test_appended_events_load_in_version_order(self, store: EventStore) -> None:
        """An aggregate loads back its events, oldest first, with their versions."""
        cafe = uuid.uuid4()
        store.append([(cafe, 1, registered(cafe)), (cafe, 2, renamed(cafe, "Pho"))])
        assert store.load(cafe) == [(1, registered(cafe)), (2, renamed(cafe, "Pho"))]
        assert store.load(cafe, after=1) == [(2, renamed(cafe, "Pho"))]
        assert store.load(uuid.uuid4()) == []

    def test_several_aggregates_load_in_one_read(self, store: EventStore) -> None:
        """load_many gives each asked aggregate's events in version order, and leaves out
        aggregates with none, exactly as one load per aggregate would."""
        a, b, empty = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        store.append([(a, 1, registered(a)), (b, 1, registered(b))])
        store.append([(a, 2, renamed(a, "Pho")), (b, 2, renamed(b, "Blini 2"))])
        store.append([(a, 3, renamed(a, "Pho 2"))])
        found = store.load_many([b, empty, a, a])
        assert found == {a: store.load(a), b: store.load(b)}
        assert [v for v, _ in found[a]] == [1, 2, 3]
        assert store.load_many([]) == {}
        after = store.load_many([a, b], after={a: 1, b: 2})
        assert after == {a: store.load(a, after=1)}

    def test_a_taken_version_conflicts_and_writes_nothing(self, store: EventStore) -> None:
        """Appending at a taken version raises Conflict, and no event of that append lands."""
        cafe, other = uuid.uuid4(), uuid.uuid4()
        store.append([(cafe, 1, registered(cafe))])
        with pytest.raises(Conflict):
            store.append([(other, 1, registered(other)), (cafe, 1, renamed(cafe, "x"))])
        assert store.load(other) == []
        assert store.head() == 1

    def test_notifications_ascend_across_aggregates(self, store: EventStore) -> None:
        """The log lists every append's events after a position, in append order, by topic."""
        a, b = uuid.uuid4(), uuid.uuid4()
        ids = store.append([(a, 1, registered(a)), (b, 1, registered(b))])
        ids += store.append([(a, 2, renamed(a, "Pho"))])
        assert ids == sorted(ids)
        assert store.head() == ids[-1]
        log = store.read(0, 10)
        assert [r.notification_id for r in log] == ids
        assert [(r.originator_id, r.originator_version) for r in log] == [(a, 1), (b, 1), (a, 2)]
        assert [r.originator_id for r in store.read(ids[0], 10)] == [b, a]
        assert len(store.read(0, 2)) == 2
        assert [r.originator_id for r in store.read(0, 10, topics=["Cafe.Renamed"])] == [a]
        assert [r.notification_id for r in store.of_type(a, "Cafe.Renamed")] == [ids[2]]

    def test_new_event_types_round_trip(self, store: EventStore) -> None:
        """A month's spend event is stored and read back as it was written."""
        event = ev.SpendRecorded(
            tg_id=7, month=dt.date(2026, 11, 1), order_id=uuid.uuid4(), amount=100, at=AT, actor="7"
        )
        stream = spend_model.MonthSpend(tg_id=7, month=dt.date(2026, 11, 1)).id
        store.append([(stream, 1, event)])
        assert store.load(stream) == [(1, event)]

    def test_positions_start_at_zero_and_keep_the_last_value(self, store: EventStore) -> None:
        """A process's position is 0 until set, then the last value set."""
        assert store.position("late_orders") == 0
        store.set_position("late_orders", 5)
        store.set_position("late_orders", 9)
        assert store.position("late_orders") == 9

    def test_snapshots_keep_the_latest_and_the_first_taken(self, store: EventStore) -> None:
        """The latest snapshot loads; a second snapshot at the same version is ignored."""
        cafe = uuid.uuid4()
        assert store.load_snapshot(cafe) is None
        store.save_snapshot(cafe, 5, renamed(cafe, "five"))
        store.save_snapshot(cafe, 5, renamed(cafe, "again"))
        store.save_snapshot(cafe, 10, renamed(cafe, "ten"))
        snapshot = store.load_snapshot(cafe)
        assert snapshot is not None
        assert snapshot[0] == 10
        assert b"ten" in snapshot[1]
