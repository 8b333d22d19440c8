"""The one way a command runs: load → decide → append → retry on conflict → outcome.

Synchronous (eventsourcing 9.x uses a psycopg pool); async callers run it in a thread.
The clock and id factory are injected so decisions stay deterministic in tests.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from commands.handlers import HANDLERS, Handler
from commands.messages import Command, Outcome
from commands.session import Decision, Session
from commands.store import Conflict, EventStore, NewEvent
from domain.errors import Conflict as ConflictError
from domain.errors import DomainError
from domain.events import AnyEvent, Recorded

T = TypeVar("T")

Decided = tuple[Session, Decision[Any]]


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

    def session(self) -> Session:
        """A fresh read of the store, at one clock reading."""
        return Session(self.store, self.now(), self.new_id)

    def decide(self, command: Command[T]) -> tuple[Session, Decision[T]]:
        """Load what the command's handler needs and decide; nothing is written."""
        session = self.session()
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
        for index, command in enumerate(commands):
            try:
                decided.append((index, self.decide(command)))
            except DomainError as e:
                results[index] = e
        try:
            written = self._append([d for _, d in decided])
        except Conflict:
            for index, _ in decided:
                try:
                    results[index] = self.execute(commands[index])
                except DomainError as e:
                    results[index] = e
        else:
            for (index, (_, decision)), recorded in zip(decided, written, strict=True):
                results[index] = _outcome(decision, recorded)
        return [r for r in results if r is not None]

    def _append(self, decided: Sequence[Decided]) -> list[list[Recorded]]:
        """One atomic append of every decision's events; each decision's events as
        recorded."""
        rows: list[NewEvent] = []
        counts: list[int] = []
        for session, decision in decided:
            before = len(rows)
            for aggregate_id, events in decision.changes:
                version = session.versions.get(aggregate_id, 0)
                rows += [(aggregate_id, version + i, e) for i, e in enumerate(events, start=1)]
            counts.append(len(rows) - before)
        ids = self.store.append(rows) if rows else []
        recorded = [
            Recorded(
                notification_id=nid,
                originator_id=oid,
                originator_version=version,
                # Every event a handler decides is one of the catalogue's (AnyEvent).
                event=cast(AnyEvent, event),
            )
            for nid, (oid, version, event) in zip(ids, rows, strict=True)
        ]
        out, start = [], 0
        for count in counts:
            out.append(recorded[start : start + count])
            start += count
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
