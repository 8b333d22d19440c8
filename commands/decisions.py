"""What a command's handler decides: a result and the new events of each aggregate it
changes, and the small folds handlers use to reach it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.events import Event

S = TypeVar("S")
T = TypeVar("T")

Evolve = Callable[[S | None, Event], S]


@dataclass(frozen=True)
class Decision(Generic[T]):
    """A handler's answer: its result and the new events of each aggregate it changes."""

    value: T
    changes: Sequence[tuple[uuid.UUID, Sequence[Event]]] = ()


def applied(state: S | None, events: Sequence[Event], evolve: Evolve[S]) -> S | None:
    """The state after the decision's events."""
    for event in events:
        state = evolve(state, event)
    return state


def decided(
    state: S | None, stream: uuid.UUID, events: Sequence[Event], evolve: Evolve[S]
) -> Decision[S]:
    """A decision on one aggregate: its state after ``events``, which go to ``stream``."""
    after = applied(state, events, evolve)
    assert after is not None, "a decision on a new aggregate starts it"
    return Decision(after, [(stream, events)])
