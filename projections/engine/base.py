"""What a projection is: a name, the event types it reads, its tables and one apply function
(plus, optionally, one that applies many events at once for rebuilds)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from psycopg import Cursor

from domain.events import Event, Recorded

Apply = Callable[["Cursor[Any]", Recorded], None]
ApplyMany = Callable[["Cursor[Any]", Sequence[Recorded]], None]


class Loader(Protocol):
    """How one rebuild fills a projection's emptied tables, batch after batch.

    ``apply_many`` is called as ``Projection.apply_many`` is, inside the batch's pipeline;
    ``copy`` then, in the same transaction, writes what it kept back (COPY cannot run in a
    pipeline). If the batch fails, ``discard`` drops that; once the batch has been applied
    event by event instead, ``relearn`` reads back whatever state the loader keeps.
    """

    def apply_many(self, cur: Cursor[Any], batch: Sequence[Recorded]) -> None: ...
    def copy(self, cur: Cursor[Any]) -> None: ...
    def discard(self) -> None: ...
    def relearn(self, cur: Cursor[Any], batch: Sequence[Recorded]) -> None: ...


@dataclass(frozen=True)
class Projection:
    """A read model kept from events.

    ``apply`` runs inside the caller's transaction and must be deterministic: the same
    events give the same rows, whether they come from Kafka or from a rebuild.
    ``tables`` are emptied by a rebuild; ``ddl`` creates them (idempotent).

    ``apply_many``, if given, must leave exactly the rows that ``apply`` leaves when called
    on each of the events in turn (events this projection handles, ascending). A rebuild
    uses it to write a batch in a few set-based statements instead of one per event.

    ``deferred_indexes`` (qualified names) are secondary indexes that ``ddl`` creates and
    that neither ``apply`` nor ``apply_many`` looks rows up through: a rebuild drops them
    while it fills the emptied tables and builds them at the end (engine.bulk_load).

    ``loader``, if given, makes a fresh ``Loader`` for one rebuild, used instead of
    ``apply_many``; it must leave the same rows.

    ``unverified`` names columns of its tables that the audit's verify does not compare with
    a replay: bookkeeping for readers, not what the events say, which rows written before
    the column existed hold as its default.
    """

    name: str
    handles: frozenset[str]
    tables: tuple[str, ...]
    ddl: tuple[str, ...]
    apply: Apply
    apply_many: ApplyMany | None = None
    deferred_indexes: tuple[str, ...] = ()
    loader: Callable[[], Loader] | None = None
    unverified: tuple[str, ...] = ()


def tags(*classes: type[Event]) -> frozenset[str]:
    """The wire names (``Order.Placed``) of event classes."""
    return frozenset(str(cls.__struct_config__.tag) for cls in classes)


def waves(events: Sequence[Recorded], key: Callable[[Recorded], Hashable]) -> list[list[Recorded]]:
    """Split events into waves holding at most one event per key: the first event of each
    key, then the second, and so on. Applying the waves in turn keeps each key's order,
    and the events of one wave touch different rows, so one statement can apply them."""
    rounds: list[list[Recorded]] = []
    seen: dict[Hashable, int] = {}
    for recorded in events:
        k = key(recorded)
        index = seen.get(k, 0)
        seen[k] = index + 1
        if index == len(rounds):
            rounds.append([])
        rounds[index].append(recorded)
    return rounds


def lock_id(projection: str) -> int:
    """A stable advisory-lock id per projection: rebuilds hold it exclusively."""
    digest = hashlib.blake2b(projection.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def log_event(logger: logging.Logger, level: int, event: str, **fields: Any) -> None:
    """A log record named by what happened, its fields as extras (the JSON-lines formatter
    writes them as keys of the line)."""
    logger.log(level, event, extra=fields)
