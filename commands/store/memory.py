"""The event store in memory: eventsourcing's POPO recorders, for unit tests and scripts.

Same behaviour as the PostgreSQL store (the contract tests run against both): versions
conflict, appends are atomic, notification ids ascend in append order.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence

from eventsourcing.popo import POPOAggregateRecorder, POPOApplicationRecorder

from commands.store.recorders import RecorderEventStore
from domain.events import Recorded


class MemoryEventStore(RecorderEventStore):
    def __init__(self) -> None:
        super().__init__(POPOApplicationRecorder(), POPOAggregateRecorder())
        self._positions: dict[str, int] = {}
        self._lock = threading.Lock()

    def setup(self) -> None:
        """Nothing to create: the recorders exist from the start."""

    def close(self) -> None:
        """Nothing to release."""

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
