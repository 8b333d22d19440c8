"""The event store: a port and its PostgreSQL and in-memory implementations."""

from commands.store.port import Conflict, EventStore, NewEvent

__all__ = ["Conflict", "EventStore", "NewEvent"]
