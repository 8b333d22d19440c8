"""What both event stores share: eventsourcing's recorders (an application recorder for
the events, an aggregate recorder for snapshots) behind the port, through our mapper."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Mapping, Sequence

import msgspec
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    IntegrityError,
    StoredEvent,
)

from commands.mapper import Envelope, MsgspecMapper
from commands.store.port import Conflict, EventStore, NewEvent
from domain.events import AnyEvent


class RecorderEventStore(EventStore):
    """The port's stream, append, head and snapshot methods over two recorders."""

    def __init__(self, recorder: ApplicationRecorder, snapshots: AggregateRecorder) -> None:
        self.recorder = recorder
        self.snapshots = snapshots
        self.mapper = MsgspecMapper()

    def load(self, originator_id: uuid.UUID, *, after: int = 0) -> list[tuple[int, AnyEvent]]:
        stored = self.recorder.select_events(originator_id, gt=after or None)
        return [(s.originator_version, self.mapper.decode(s.topic, s.state)) for s in stored]

    def load_many(
        self, originator_ids: Sequence[uuid.UUID], *, after: Mapping[uuid.UUID, int] = {}
    ) -> dict[uuid.UUID, list[tuple[int, AnyEvent]]]:
        found = {
            oid: self.load(oid, after=after.get(oid, 0)) for oid in dict.fromkeys(originator_ids)
        }
        return {oid: history for oid, history in found.items() if history}

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

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

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
        # Another process may have taken the same snapshot: identical content, keep theirs.
        with contextlib.suppress(IntegrityError):
            self.snapshots.insert_events([snap])
