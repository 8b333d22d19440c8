"""Aggregates as this process last folded them, so a decision reads only the events
since then instead of the whole stream: cafes (seeded by the store's snapshots) and
employee-months.

A month's stream gains one event per order of that employee that month, and every
placement, change and cancellation decides against the month's spend: folded from the
start, the twentieth order of a month would read and fold nineteen events. A fold at
version ``v`` is the fold of the stream's first ``v`` events, which never change, so it
plus the events after ``v`` is the whole fold; an older one is only slower, never wrong.
States are kept encoded (a decoded copy per session, as folding changes a state in place).
Sessions of several threads share one ``RememberedFolds``; each write replaces one whole
entry.
"""

from __future__ import annotations

import uuid

import msgspec

from commands.preload import Snapshot

MAX_FOLDS = 65_536  # aggregates remembered, before starting over (~200 bytes a month)


class RememberedFolds(dict[uuid.UUID, Snapshot]):
    """Each aggregate's latest fold remembered: its version and encoded state."""

    def __init__(self, limit: int = MAX_FOLDS) -> None:
        super().__init__()
        self.limit = limit

    def remember(self, stream: uuid.UUID, version: int, state: object) -> None:
        """Keep this fold unless a newer one is kept already."""
        known = self.get(stream)
        if known is not None and known[0] >= version:
            return
        if len(self) >= self.limit:
            self.clear()
        self[stream] = (version, msgspec.json.encode(state))
