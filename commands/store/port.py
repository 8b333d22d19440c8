"""The event store port: what the write side, the relay and the clock ask of storage.

Two implementations: PostgreSQL (``commands.store.postgres``, production and integration
tests) and in memory (``commands.store.memory``, unit tests and scripts). One behaviour
contract (``tests/contract/test_event_store.py``) runs against both.
"""

from __future__ import annotations

import abc
import uuid
from collections.abc import Mapping, Sequence

import msgspec

from domain.events import AnyEvent, Event, Recorded

NewEvent = tuple[uuid.UUID, int, Event]
"""An event to append: its aggregate, the version it takes, and the event."""


class Conflict(Exception):
    """Another writer appended to the same aggregate first."""


class EventStore(abc.ABC):
    """Aggregates' event streams, the notification log over them, snapshots and positions."""

    statement_timeout_ms: int = 5000
    """The longest one statement may run; the clock's grace must exceed it."""

    @abc.abstractmethod
    def setup(self) -> None:
        """Create the storage if absent (idempotent)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections."""

    @abc.abstractmethod
    def load(self, originator_id: uuid.UUID, *, after: int = 0) -> list[tuple[int, AnyEvent]]:
        """The aggregate's (version, event) after version ``after``, oldest first."""

    @abc.abstractmethod
    def load_many(
        self, originator_ids: Sequence[uuid.UUID], *, after: Mapping[uuid.UUID, int] = {}
    ) -> dict[uuid.UUID, list[tuple[int, AnyEvent]]]:
        """Several aggregates' (version, event) after their version in ``after`` (default
        0), oldest first, in one read; an aggregate with none is absent from the answer."""

    @abc.abstractmethod
    def append(self, new: Sequence[NewEvent]) -> list[int]:
        """Append atomically; the notification ids. Raises Conflict on a taken version."""

    @abc.abstractmethod
    def read(self, after: int, limit: int, *, topics: Sequence[str] = ()) -> list[Recorded]:
        """Notifications with id > ``after`` (of ``topics`` if given), ascending, ≤ ``limit``."""

    @abc.abstractmethod
    def head(self) -> int:
        """The highest notification id (0 when empty)."""

    @abc.abstractmethod
    def of_type(self, originator_id: uuid.UUID, topic: str) -> list[Recorded]:
        """One aggregate's events of one type, with their notification ids."""

    @abc.abstractmethod
    def position(self, name: str) -> int:
        """A write-side process's tracked notification id (0 before its first step)."""

    @abc.abstractmethod
    def set_position(self, name: str, value: int) -> None:
        """Record a write-side process's position."""

    @abc.abstractmethod
    def load_snapshot(self, originator_id: uuid.UUID) -> tuple[int, bytes] | None:
        """The aggregate's latest snapshot: (version, encoded state), if any."""

    @abc.abstractmethod
    def save_snapshot(self, originator_id: uuid.UUID, version: int, state: msgspec.Struct) -> None:
        """Store a snapshot; one already taken at that version is kept."""
