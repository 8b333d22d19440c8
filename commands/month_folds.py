"""Employee-months as this process last folded them, so a placement reads only the
month's events since then instead of its whole stream.

A month's stream gains one event per order of that employee that month, and every
placement, change and cancellation decides against the month's spend: folded from the
start, the twentieth order of a month would read and fold nineteen events. A fold at
version ``v`` is the fold of the stream's first ``v`` events, which never change, so it
plus the events after ``v`` is the whole fold; an older one is only slower, never wrong.
Sessions of several threads share one ``MonthFolds``; each write replaces one whole entry.
"""

from __future__ import annotations

import uuid

import msgspec

from commands.preload import Snapshot
from domain.spend import MonthSpend

MAX_MONTHS = 65_536  # employee-months remembered, before starting over (~200 bytes each)

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(MonthSpend).decode


class MonthFolds:
    def __init__(self, limit: int = MAX_MONTHS) -> None:
        self.limit = limit
        self._kept: dict[uuid.UUID, Snapshot] = {}

    def base(self, stream: uuid.UUID) -> Snapshot | None:
        """The latest fold remembered of ``stream``: its version and encoded state."""
        return self._kept.get(stream)

    def remember(self, stream: uuid.UUID, version: int, state: MonthSpend) -> None:
        known = self._kept.get(stream)
        if known is not None and known[0] >= version:
            return
        if len(self._kept) >= self.limit:
            self._kept.clear()
        self._kept[stream] = (version, _encode(state))

    def __len__(self) -> int:
        return len(self._kept)


def decoded(base: Snapshot | None) -> tuple[int, MonthSpend | None]:
    """A remembered fold's version and a state of its own to fold on (0, None: none)."""
    return (base[0], _decode(base[1])) if base is not None else (0, None)
