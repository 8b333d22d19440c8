"""The PostgreSQL event store keeps the event store contract."""

from __future__ import annotations

from tests.contracts.event_store import EventStoreContract


class TestPostgresEventStore(EventStoreContract):
    """Runs the contract against the ``store`` fixture of tests/integration/conftest.py."""
