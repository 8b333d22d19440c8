"""What every command is, and what the executor answers."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

from domain.events import Recorded

T = TypeVar("T")


class Outcome(msgspec.Struct, Generic[T], frozen=True):
    """A command's result, the notification id of its last event (0: nothing changed) and
    every event it wrote with its notification id (what read-your-writes waits for)."""

    value: T
    notification_id: int
    recorded: tuple[Recorded, ...] = ()

    @property
    def positions(self) -> tuple[int, ...]:
        return tuple(r.notification_id for r in self.recorded)


class Command(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    """A request to change state, made by ``actor`` (a Telegram id, or ``system``)."""

    actor: str
