"""The in-memory event store keeps the event store contract."""

from __future__ import annotations

import pytest

from commands.store.memory import MemoryEventStore
from tests.contracts.event_store import EventStoreContract


class TestMemoryEventStore(EventStoreContract):
    @pytest.fixture
    def store(self) -> MemoryEventStore:
        """An empty store in memory."""
        return MemoryEventStore()
