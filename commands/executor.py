"""The one way a command runs: load → decide → append → retry on conflict → outcome.

Synchronous (eventsourcing 9.x uses a psycopg pool); async callers run it in a thread.
The clock and id factory are injected so decisions stay deterministic in tests.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from commands.appending import Decided, append_decided
from commands.decisions import Decision
from commands.handlers import HANDLERS, READS, Handler
from commands.messages import Command, Outcome
from commands.preload import Preloaded, ReadsOf, preload
from commands.remembered_folds import RememberedFolds
from commands.session import Session
from commands.store import Conflict, EventStore
from domain.errors import Conflict as ConflictError
from domain.errors import DomainError
from domain.events import Recorded

T = TypeVar("T")
R = TypeVar("R")
DECIDE_THREADS = 8  # at most this many decisions of a group read the store at once


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Executor:
    def __init__(
        self,
        store: EventStore,
        *,
        now: Callable[[], dt.datetime] = utc_now,
        new_id: Callable[[], uuid.UUID] = uuid.uuid4,
        snapshot_every: int = 50,
        attempts: int = 8,
        handlers: Mapping[type, Handler] = HANDLERS,
    ) -> None:
        self.store = store
        self.now = now
        self.new_id = new_id
        self.snapshot_every = snapshot_every
        self.attempts = attempts
        self.handlers = handlers
        self.reads: Mapping[type, ReadsOf] = READS
        self._deciders = ThreadPoolExecutor(DECIDE_THREADS, thread_name_prefix="decide")
        self._snapshots = RememberedFolds()  # shared by sessions
        self._opened: set[uuid.UUID] = set()  # shared by sessions
        self._month_folds = RememberedFolds()  # shared by sessions

    def close(self) -> None:
        """Stop the deciding threads once the decisions under way are made."""
        self._deciders.shutdown(wait=True)

    def session(self, preloaded: Preloaded | None = None) -> Session:
        """A fresh read of the store, at one clock reading."""
        return Session(
            self.store,
            self.now(),
            self.new_id,
            snapshots=self._snapshots,
            opened=self._opened,
            month_folds=self._month_folds,
            preloaded=preloaded,
        )

    def decide(
        self, command: Command[T], preloaded: Preloaded | None = None
    ) -> tuple[Session, Decision[T]]:
        """Load what the command's handler needs and decide; nothing is written."""
        session = self.session(preloaded)
        handler = self.handlers[type(command)]
        return session, cast(Decision[T], handler(command, session))

    def execute(self, command: Command[T]) -> Outcome[T]:
        """Decide and append, deciding again (jittered backoff) when another writer got
        to one of the same aggregates first; a conflict that persists is a 409."""
        retrying = Retrying(
            retry=retry_if_exception_type(Conflict),
            stop=stop_after_attempt(self.attempts),
            wait=wait_random_exponential(multiplier=0.002, max=0.5),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    decided = self.decide(command)
                    (recorded,) = self._append([decided])
                    return _outcome(decided[1], recorded)
        except Conflict as e:
            raise ConflictError("too many concurrent changes; try again") from e
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover

    def execute_many(self, commands: Sequence[Command[Any]]) -> list[Outcome[Any] | DomainError]:
        """Decide independent commands and append all their events in one transaction.

        Each command's result, or the rule it broke. If the group conflicts (with another
        writer, or two of its commands touch one aggregate), each runs on its own instead.
        """
        results: list[Outcome[Any] | DomainError | None] = [None] * len(commands)
        decided: list[tuple[int, Decided]] = []
        for index, got in enumerate(self._decide_all(commands)):
            if isinstance(got, DomainError):
                results[index] = got
            else:
                decided.append((index, got))
        try:
            written = self._append([d for _, d in decided])
        except Conflict:
            alone = self._each(self._execute_or_refuse, [commands[i] for i, _ in decided])
            for (index, _), result in zip(decided, alone, strict=True):
                results[index] = result
        else:
            for (index, (_, decision)), recorded in zip(decided, written, strict=True):
                results[index] = _outcome(decision, recorded)
        return [r for r in results if r is not None]

    def _decide_all(self, commands: Sequence[Command[Any]]) -> list[Decided | DomainError]:
        """Every command decided. When each names its reads, they are read for the whole
        group in one round trip and the decisions follow one by one, touching no store;
        otherwise decisions only read, so they run side by side: one after the other, a
        group would wait for every one of its loads' round trips in turn."""
        reads_of = [self.reads.get(type(command)) for command in commands]
        if len(commands) < 2 or None in reads_of:
            return self._each(self._decide_or_refuse, commands)
        reads = [of(c, self._opened) for of, c in zip(reads_of, commands, strict=True) if of]
        preloaded = preload(self.store, reads, self.session().base, self._month_folds.get)
        return [self._decide_or_refuse(command, preloaded) for command in commands]

    def _each(
        self, function: Callable[[Command[Any]], R], commands: Sequence[Command[Any]]
    ) -> list[R]:
        if len(commands) < 2:
            return [function(command) for command in commands]
        return list(self._deciders.map(function, commands))

    def _decide_or_refuse(
        self, command: Command[Any], preloaded: Preloaded | None = None
    ) -> Decided | DomainError:
        try:
            return self.decide(command, preloaded)
        except DomainError as e:
            return e

    def _execute_or_refuse(self, command: Command[Any]) -> Outcome[Any] | DomainError:
        try:
            return self.execute(command)
        except DomainError as e:
            return e

    def _append(self, decided: Sequence[Decided]) -> list[list[Recorded]]:
        """One atomic append of every decision's events (``commands.appending``), then
        the snapshots they call for."""
        out = append_decided(self.store, decided)
        for session, decision in decided:
            self._snapshot(session, decision)
        return out

    def _snapshot(self, session: Session, decision: Decision[Any]) -> None:
        """Snapshot a cafe each time its version crosses a multiple of ``snapshot_every``."""
        for aggregate_id, events in decision.changes:
            if aggregate_id not in session.cafes:
                continue
            before = session.versions[aggregate_id]
            if (before + len(events)) // self.snapshot_every > before // self.snapshot_every:
                fresh = self.session()
                state = fresh.cafe(aggregate_id)
                self.store.save_snapshot(aggregate_id, fresh.versions[aggregate_id], state)


def _outcome(decision: Decision[T], recorded: Sequence[Recorded]) -> Outcome[T]:
    last = max((r.notification_id for r in recorded), default=0)
    return Outcome(decision.value, last, tuple(recorded))
