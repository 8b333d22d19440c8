"""Reads of stored events together with their seals in the hash chain, as they lie in the
tables (not decoded): what ``verify`` recomputes the chain from, and what the export
streams. ``AuditLog`` (commands.audit.log) provides the connection and the table names.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import msgspec

from commands.audit.schema import GENESIS

_HEAD = "SELECT notification_id, hash FROM {chain} ORDER BY notification_id DESC LIMIT 1"
_LAST = """SELECT greatest((SELECT max(notification_id) FROM {events}),
    (SELECT max(notification_id) FROM {chain}))"""
# Matched by id both ways, so an event without a seal and a seal without an event show.
_SEALED = """SELECT coalesce(e.notification_id, c.notification_id), e.originator_id,
    e.originator_version, e.topic, e.state, c.hash
FROM (SELECT * FROM {events} WHERE notification_id > %s AND notification_id <= %s) e
FULL JOIN (SELECT * FROM {chain} WHERE notification_id > %s
    AND notification_id <= %s) c ON c.notification_id = e.notification_id
ORDER BY 1"""
# The moments: start, start, end, end (either may be None: open).
_BOUNDS = """SELECT min(notification_id), max(notification_id) FROM {chain} c
WHERE (%s::timestamptz IS NULL OR c.at >= %s) AND (%s::timestamptz IS NULL OR c.at < %s)"""
_BETWEEN = """SELECT e.notification_id, e.originator_id, e.originator_version, e.topic,
    e.state, c.hash FROM {chain} c
JOIN {events} e ON e.notification_id = c.notification_id
WHERE c.notification_id > %s AND c.notification_id <= %s
    AND (%s::timestamptz IS NULL OR c.at >= %s) AND (%s::timestamptz IS NULL OR c.at < %s)
ORDER BY c.notification_id LIMIT %s"""


class Sealed(msgspec.Struct, frozen=True, kw_only=True):
    """A stored event as it lies in the table, with its place in the hash chain."""

    notification_id: int
    originator_id: uuid.UUID
    originator_version: int
    topic: str
    state: bytes
    hash: bytes | None


class SealedReads:
    """The chain's reads; ``_rows`` runs a query on the log's tables (``AuditLog``)."""

    def _rows(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def head(self) -> tuple[int, bytes]:
        """The last sealed notification id and its hash (0 and the genesis when empty)."""
        rows = self._rows(_HEAD, [])
        return (rows[0][0], bytes(rows[0][1])) if rows else (0, GENESIS)

    def last_position(self) -> int:
        """The highest notification id in the events table or the chain."""
        return int(self._rows(_LAST, [])[0][0] or 0)

    def sealed(self, after: int, upto: int) -> list[Sealed]:
        """Events and chain rows with ids in (after, upto], ascending, matched by id: an
        event without a seal has ``hash`` None; a seal without an event has empty fields."""
        return [
            Sealed(
                notification_id=nid,
                originator_id=oid or uuid.UUID(int=0),
                originator_version=version or 0,
                topic=topic or "",
                state=bytes(state) if state is not None else b"",
                hash=bytes(digest) if digest is not None else None,
            )
            for nid, oid, version, topic, state, digest in self._rows(
                _SEALED, [after, upto, after, upto]
            )
        ]

    def between(
        self, start: dt.datetime | None, end: dt.datetime | None, *, batch: int = 1000
    ) -> Iterator[Sealed]:
        """Sealed events stamped in [start, end), in log order, read a batch at a time."""
        moments = [start, start, end, end]
        # The stamps follow the log only roughly, so the range of ids comes from the index
        # on the stamps, and the stamps are checked again on each row.
        low, high = self._rows(_BOUNDS, moments)[0]
        if low is None:
            return
        position = low - 1
        while position < high:
            rows = self._rows(_BETWEEN, [position, high, *moments, batch])
            for nid, oid, version, topic, state, digest in rows:
                yield Sealed(
                    notification_id=nid,
                    originator_id=oid,
                    originator_version=version,
                    topic=topic,
                    state=bytes(state),
                    hash=bytes(digest),
                )
            if len(rows) < batch:
                return
            position = rows[-1][0]
