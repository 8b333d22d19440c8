"""What one decision reads: aggregates folded from the store, each with the version the
append will expect, and the decision's clock reading and id factory."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec

from commands.decisions import Decision, Evolve
from commands.preload import Preloaded, Reads, Snapshot
from commands.remembered_folds import RememberedFolds
from commands.store import EventStore
from domain import cafe as cafe_model
from domain import employee as employee_model
from domain import link as link_model
from domain import order as order_model
from domain import spend as spend_model
from domain.errors import NotFound
from domain.events import Event
from domain.ids import employee_id, month_spend_id

S = TypeVar("S")


Handler = Callable[[Any, "Session"], Decision[Any]]
"""A command's handler: it loads what it needs through the session and decides."""


MAX_OPENED = 100_000  # month streams remembered as existing, before starting over


@dataclass
class Session:
    store: EventStore
    now: dt.datetime
    new_id: Callable[[], uuid.UUID]
    versions: dict[uuid.UUID, int] = field(default_factory=dict)
    cafes: set[uuid.UUID] = field(default_factory=set)
    snapshots: RememberedFolds = field(default_factory=RememberedFolds)
    """Cafe states remembered across sessions (``commands.remembered_folds``): the store's
    snapshots and every fold that got past them."""
    opened: set[uuid.UUID] = field(default_factory=set)
    """Month spend streams known to exist, shared like ``snapshots`` (a month not among
    them may be new: its opening reads each of its days' orders, see ``orders._month``)."""
    month_folds: RememberedFolds = field(default_factory=RememberedFolds)
    """Employee-months as last folded, shared like ``snapshots``."""
    preloaded: Preloaded | None = None
    """What the executor read for this session's group, used by ``read`` when it covers it."""
    _months: set[uuid.UUID] = field(default_factory=set)
    _loaded: dict[uuid.UUID, list[tuple[int, Event]]] = field(default_factory=dict)
    _read: dict[uuid.UUID, list[tuple[int, Event]]] = field(default_factory=dict)
    _bases: dict[uuid.UUID, Snapshot | None] = field(default_factory=dict)

    def prefetch(
        self,
        aggregates: Sequence[uuid.UUID],
        cafes: Sequence[uuid.UUID] = (),
        maybe: Sequence[uuid.UUID] = (),
    ) -> None:
        self.read(Reads(aggregates, cafes, maybe))

    def read(self, reads: Reads) -> None:
        """Read these aggregates (and cafes, after their snapshots) in one round trip, or
        take them from the group's preload; the folds that follow use what was read
        instead of asking the store each."""
        wanted = reads.wanted()
        preloaded = self.preloaded
        found: Mapping[uuid.UUID, Sequence[tuple[int, Event]]]
        based = reads.based()
        if preloaded is not None and preloaded.covers(reads):
            self._bases.update({b: preloaded.bases[b] for b in based})
            found = preloaded.found
        else:
            for month in reads.months:
                self._bases[month] = self.month_folds.get(month)
            after = {}
            for aggregate_id in based:
                snapshot = self.base(aggregate_id)
                after[aggregate_id] = snapshot[0] if snapshot else 0
            found = self.store.load_many(wanted, after=after)
        for aggregate_id in wanted:
            self._loaded[aggregate_id] = list(found.get(aggregate_id, ()))
        # Whole histories only: cafes and months were read after their bases.
        self._read = {a: self._loaded[a] for a in wanted if a not in based}

    def histories(
        self, aggregates: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[tuple[int, Event]]]:
        """Whole histories of these aggregates: from the prefetch if it read them all (in
        the decision's one round trip), else in one read now."""
        if all(a in self._read for a in aggregates):
            return {a: self._read[a] for a in aggregates}
        return {a: list(history) for a, history in self.store.load_many(aggregates).items()}

    def _history(self, aggregate_id: uuid.UUID, after: int = 0) -> list[tuple[int, Event]]:
        loaded = self._loaded.pop(aggregate_id, None)
        return loaded if loaded is not None else list(self.store.load(aggregate_id, after=after))

    def base(self, cafe_id: uuid.UUID) -> Snapshot | None:
        if cafe_id not in self._bases:
            snapshot = self.snapshots.get(cafe_id) or self.store.load_snapshot(cafe_id)
            if snapshot is not None and cafe_id not in self.snapshots:
                self.snapshots[cafe_id] = snapshot
            self._bases[cafe_id] = snapshot
        return self._bases[cafe_id]

    def fold(self, aggregate_id: uuid.UUID, evolve: Evolve[S]) -> S | None:
        state: S | None = None
        history = self._history(aggregate_id)
        for _, event in history:
            state = evolve(state, event)
        self.versions[aggregate_id] = history[-1][0] if history else 0
        return state

    def _fold_after(
        self,
        stream: uuid.UUID,
        base: Snapshot | None,
        kind: type[S],
        evolve: Evolve[S],
        folds: RememberedFolds,
    ) -> S | None:
        """``base`` decoded plus the events after it; a fold that got past it is kept in
        ``folds`` for the next session to start from."""
        version, state = (base[0], msgspec.json.decode(base[1], type=kind)) if base else (0, None)
        history = self._history(stream, after=version)
        for _, event in history:
            state = evolve(state, event)
        if state is not None and history:
            version = history[-1][0]
            folds.remember(stream, version, state)
        self.versions[stream] = version
        return state

    def cafe(self, cafe_id: uuid.UUID) -> cafe_model.CafeState:
        """A cafe from a snapshot of it plus the events after it."""
        base = self.base(cafe_id)
        state = self._fold_after(
            cafe_id, base, cafe_model.CafeState, cafe_model.evolve, self.snapshots
        )
        if state is None:
            raise NotFound("no such cafe", cafe_id=str(cafe_id))
        self.cafes.add(cafe_id)
        return state

    def order(self, oid: uuid.UUID) -> order_model.OrderState | None:
        return self.fold(oid, order_model.evolve)

    def employee(self, tg_id: int) -> employee_model.EmployeeState | None:
        return self.fold(employee_id(tg_id), employee_model.evolve)

    def link(self, request_id: uuid.UUID) -> link_model.LinkState | None:
        return self.fold(request_id, link_model.evolve)

    def month_spend(self, tg_id: int, date: dt.date) -> spend_model.MonthSpend:
        """The month from the fold remembered of it plus the events after that: read in
        this session's round trip after its base, or now."""
        month = spend_model.month_of(date)
        stream = month_spend_id(tg_id, month)
        read = stream in self._loaded
        base = self._bases.get(stream) if read else self.month_folds.get(stream)
        state = self._fold_after(
            stream, base, spend_model.MonthSpend, spend_model.evolve, self.month_folds
        )
        self._months.add(stream)
        if self.versions[stream]:
            self._open(stream)
        return state or spend_model.MonthSpend(tg_id=tg_id, month=month)

    def written(self, changes: Sequence[tuple[uuid.UUID, Sequence[Event]]]) -> None:
        """After ``changes`` were appended: the month streams they wrote to exist now."""
        for aggregate_id, events in changes:
            if events and aggregate_id in self._months:
                self._open(aggregate_id)

    def _open(self, stream: uuid.UUID) -> None:
        if len(self.opened) >= MAX_OPENED:
            self.opened.clear()
        self.opened.add(stream)
