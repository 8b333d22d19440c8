"""One read for a whole group of decisions.

A handler that names its reads up front (``Reads``, through ``READS`` in the handlers)
lets the executor read what every command of a group needs in one round trip, before
deciding any of them; each decision's ``Session.prefetch`` then takes its part from there
instead of asking the store. Without it, each decision of a group made its own round trip.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from commands.store import EventStore
from domain.events import Event

Snapshot = tuple[int, bytes]
History = list[tuple[int, Event]]


@dataclass(frozen=True)
class Reads:
    """What one decision reads: aggregates whole, cafes after their snapshots, months
    after the fold this process remembers of them (``commands.remembered_folds``), and
    ``maybe``: aggregates it may read whole, read along just in case."""

    aggregates: Sequence[uuid.UUID]
    cafes: Sequence[uuid.UUID] = ()
    maybe: Sequence[uuid.UUID] = ()
    months: Sequence[uuid.UUID] = ()

    def wanted(self) -> list[uuid.UUID]:
        return list(dict.fromkeys([*self.aggregates, *self.cafes, *self.months, *self.maybe]))

    def based(self) -> list[uuid.UUID]:
        """Those read after a base: the cafes and the months."""
        return [*self.cafes, *self.months]


ReadsOf = Callable[[Any, set[uuid.UUID]], Reads]
"""A command's reads, given the month streams known to exist (see ``Session.opened``)."""


@dataclass
class Preloaded:
    """Histories read for a group: every asked aggregate (empty if it has none), each cafe
    and month after ``bases[id]``, the base its sessions must start from to use them."""

    bases: dict[uuid.UUID, Snapshot | None] = field(default_factory=dict)
    found: dict[uuid.UUID, History] = field(default_factory=dict)

    def covers(self, reads: Reads) -> bool:
        return all(a in self.found for a in reads.wanted()) and all(
            b in self.bases for b in reads.based()
        )


def preload(
    store: EventStore,
    reads: Iterable[Reads],
    base: Callable[[uuid.UUID], Snapshot | None],
    month_base: Callable[[uuid.UUID], Snapshot | None],
) -> Preloaded:
    """Everything ``reads`` want, in one ``load_many``; ``base`` gives a cafe's snapshot,
    ``month_base`` a month's remembered fold."""
    wanted: dict[uuid.UUID, None] = {}
    bases: dict[uuid.UUID, Snapshot | None] = {}
    for one in reads:
        wanted.update(dict.fromkeys(one.wanted()))
        for cafe_id in one.cafes:
            if cafe_id not in bases:
                bases[cafe_id] = base(cafe_id)
        for month in one.months:
            if month not in bases:
                bases[month] = month_base(month)
    after = {c: snapshot[0] if snapshot else 0 for c, snapshot in bases.items()}
    found = store.load_many(list(wanted), after=after)
    return Preloaded(bases, {a: list(found.get(a, ())) for a in wanted})
