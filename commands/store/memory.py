"""The event store in memory: eventsourcing's POPO recorders, for unit tests and scripts.

Same behaviour as the PostgreSQL store (the contract tests run against both): versions
conflict, appends are atomic, notification ids ascend in append order.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Sequence

import msgspec
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.popo import POPOAggregateRecorder, POPOApplicationRecorder

from commands.mapper import Envelope, MsgspecMapper
from commands.store.port import Conflict, EventStore, NewEvent
from domain.events import AnyEvent, Recorded


class MemoryEventStore(EventStore):
    def __init__(self) -> None:
        self.recorder = POPOApplicationRecorder()
        self.snapshots = POPOAggregateRecorder()
        self.mapper = MsgspecMapper()
        self._positions: dict[str, int] = {}
        self._lock = threading.Lock()

    def setup(self) -> None:
        """Nothing to create: the recorders exist from the start."""

    def close(self) -> None:
        """Nothing to release."""

    def load(self, originator_id: uuid.UUID, *, after: int = 0) -> list[tuple[int, AnyEvent]]:
        stored = self.recorder.select_events(originator_id, gt=after or None)
        return [(s.originator_version, self.mapper.decode(s.topic, s.state)) for s in stored]

    def append(self, new: Sequence[NewEvent]) -> list[int]:
        stored = [
            self.mapper.to_stored_event(Envelope(oid, version, event))
            for oid, version, event in new
        ]
        try:
            ids = self.recorder.insert_events(stored)
        except IntegrityError as e:
            raise Conflict(str(e)) from e
        return list(ids or [])

    def read(self, after: int, limit: int, *, topics: Sequence[str] = ()) -> list[Recorded]:
        notifications = self.recorder.select_notifications(
            after, limit, topics=topics, inclusive_of_start=False
        )
        return [
            Recorded(
                notification_id=n.id,
                originator_id=uuid.UUID(str(n.originator_id)),
                originator_version=n.originator_version,
                event=self.mapper.decode(n.topic, n.state),
            )
            for n in notifications
        ]

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def of_type(self, originator_id: uuid.UUID, topic: str) -> list[Recorded]:
        # The POPO recorder keeps no per-aggregate notification ids: scan the log.
        return [
            r
            for r in self.read(0, self.head() or 1, topics=[topic])
            if r.originator_id == originator_id
        ]

    def position(self, name: str) -> int:
        with self._lock:
            return self._positions.get(name, 0)

    def set_position(self, name: str, value: int) -> None:
        with self._lock:
            self._positions[name] = value

    def load_snapshot(self, originator_id: uuid.UUID) -> tuple[int, bytes] | None:
        rows = self.snapshots.select_events(originator_id, desc=True, limit=1)
        return (rows[0].originator_version, rows[0].state) if rows else None

    def save_snapshot(self, originator_id: uuid.UUID, version: int, state: msgspec.Struct) -> None:
        snap = StoredEvent(
            originator_id=originator_id,
            originator_version=version,
            topic="snapshot",
            state=msgspec.json.encode(state),
        )
        with contextlib.suppress(IntegrityError):
            self.snapshots.insert_events([snap])
