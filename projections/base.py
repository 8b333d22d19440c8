"""What a projection is: a name, the event types it reads, its tables and one apply function."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from psycopg import Cursor

from domain.events import Event, Recorded

Apply = Callable[["Cursor[Any]", Recorded], None]


@dataclass(frozen=True)
class Projection:
    """A read model kept from events.

    ``apply`` runs inside the caller's transaction and must be deterministic: the same
    events give the same rows, whether they come from Kafka or from a rebuild.
    ``tables`` are emptied by a rebuild; ``ddl`` creates them (idempotent).
    """

    name: str
    handles: frozenset[str]
    tables: tuple[str, ...]
    ddl: tuple[str, ...]
    apply: Apply


def tags(*classes: type[Event]) -> frozenset[str]:
    """The wire names (``Order.Placed``) of event classes."""
    return frozenset(str(cls.__struct_config__.tag) for cls in classes)


def lock_id(projection: str) -> int:
    """A stable advisory-lock id per projection: rebuilds hold it exclusively."""
    digest = hashlib.blake2b(projection.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def log_event(logger: logging.Logger, level: int, event: str, **fields: Any) -> None:
    """A log record named by what happened, its fields as extras (the JSON-lines formatter
    writes them as keys of the line)."""
    logger.log(level, event, extra=fields)
