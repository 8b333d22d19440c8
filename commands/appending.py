"""Appending decisions: every decision's events numbered after its aggregates' versions,
written in one atomic append, and handed back per decision as recorded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from commands.decisions import Decision
from commands.session import Session
from commands.store import EventStore, NewEvent
from domain.events import AnyEvent, Recorded

Decided = tuple[Session, Decision[Any]]


def append_decided(store: EventStore, decided: Sequence[Decided]) -> list[list[Recorded]]:
    """One atomic append of every decision's events; each decision's events as recorded.
    Each session is told what it wrote."""
    rows: list[NewEvent] = []
    counts: list[int] = []
    for session, decision in decided:
        before = len(rows)
        for aggregate_id, events in decision.changes:
            version = session.versions.get(aggregate_id, 0)
            rows += [(aggregate_id, version + i, e) for i, e in enumerate(events, start=1)]
        counts.append(len(rows) - before)
    ids = store.append(rows) if rows else []
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
        session.written(decision.changes)
    return out
