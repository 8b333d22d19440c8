"""Loading aggregates by folding their events, saving new ones, retrying on conflicts."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Sequence
from typing import TypeVar

import msgspec

from commands.store import Conflict, EventStore
from domain import cafe as cafe_model
from domain.errors import Conflict as ConflictError
from domain.errors import NotFound
from domain.events import Event

S = TypeVar("S")
T = TypeVar("T")

Evolve = Callable[[S | None, Event], S]


class Pending(msgspec.Struct):
    """New events for one aggregate, expected to follow ``version``."""

    aggregate_id: uuid.UUID
    version: int
    events: Sequence[Event]


class Repository:
    def __init__(self, store: EventStore, *, snapshot_every: int = 50, max_retries: int = 8):
        self.store = store
        self.snapshot_every = snapshot_every
        self.max_retries = max_retries

    def load(self, aggregate_id: uuid.UUID, evolve: Evolve[S]) -> tuple[S | None, int]:
        state: S | None = None
        history = self.store.load(aggregate_id)
        for _, event in history:
            state = evolve(state, event)
        return state, history[-1][0] if history else 0

    def load_cafe(self, cafe_id: uuid.UUID) -> tuple[cafe_model.CafeState, int]:
        """A cafe from its latest snapshot plus the events after it."""
        state: cafe_model.CafeState | None = None
        version = 0
        snapshot = self.store.load_snapshot(cafe_id)
        if snapshot is not None:
            version = snapshot[0]
            state = msgspec.json.decode(snapshot[1], type=cafe_model.CafeState)
        history = self.store.load(cafe_id, after=version)
        for _, event in history:
            state = cafe_model.evolve(state, event)
        version = history[-1][0] if history else version
        if state is None:
            raise NotFound("no such cafe", cafe_id=str(cafe_id))
        return state, version

    def save(self, pending: Sequence[Pending]) -> int:
        """Append every aggregate's new events in one transaction; the last notification id."""
        rows = [
            (p.aggregate_id, p.version + i, event)
            for p in pending
            for i, event in enumerate(p.events, start=1)
        ]
        if not rows:
            return 0
        return max(self.store.append(rows))

    def maybe_snapshot(self, cafe_id: uuid.UUID, before: int, after: int) -> None:
        """Snapshot a cafe each time its version crosses a multiple of ``snapshot_every``."""
        if after // self.snapshot_every > before // self.snapshot_every:
            state, version = self.load_cafe(cafe_id)
            self.store.save_snapshot(cafe_id, version, state)

    def retrying(self, attempt: Callable[[], T]) -> T:
        """Run load → decide → save again when another writer got there first."""
        for n in range(self.max_retries):
            try:
                return attempt()
            except Conflict:
                # Jittered backoff so the writers that collided do not collide again.
                time.sleep(random.uniform(0, 0.002 * 2**n))  # noqa: S311

        raise ConflictError("too many concurrent changes; try again")
