"""Checking the event log's hash chain, and checkpoints of its head.

The chain is written by a trigger (commands.audit.schema); this module recomputes it
independently, in Python, from the stored rows. Each event is checked against the stored
hash of the event before it, so one edit is reported at its own position and does not
make every later position fail too:

- ``altered``: the event's content (or its seal) no longer matches: an UPDATE of the row,
  or a removal of the row before it together with that row's seal;
- ``deleted``: a seal without its event: a DELETE of the row;
- ``unsealed``: an event without a seal: stored while the trigger was disabled.

A checkpoint (head id and hash, HMAC-signed when a key is given) kept outside the
database catches what the chain alone cannot: a rewrite of the chain from some point on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import struct
from collections.abc import Callable

import msgspec

from commands.audit.log import AuditLog
from commands.audit.schema import GENESIS
from commands.audit.sealed import Sealed

WINDOW = 20_000
MAX_BREAKS = 100


class ChainBreak(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    problem: str
    detail: str


class ChainReport(msgspec.Struct, frozen=True, kw_only=True):
    checked_events: int
    head: int
    head_hash: str
    breaks: tuple[ChainBreak, ...]

    @property
    def ok(self) -> bool:
        return not self.breaks


class Checkpoint(msgspec.Struct, frozen=True, kw_only=True):
    notification_id: int
    hash: str
    taken_at: dt.datetime
    signature: str | None = None


def link(prev: bytes, row: Sealed) -> bytes:
    """The chain's hash of ``row`` after ``prev`` (the trigger's ``audit_link``)."""
    topic = row.topic.encode()
    head = struct.pack(">q16sqi", row.notification_id, row.originator_id.bytes,
                       row.originator_version, len(topic))  # fmt: skip
    return hashlib.sha256(prev + head + topic + row.state).digest()


def _check(row: Sealed, prev: bytes) -> ChainBreak | None:
    if row.hash is None:
        return ChainBreak(
            position=row.notification_id,
            problem="unsealed",
            detail="the event has no seal: stored while the chain's trigger was off",
        )
    if not row.topic:
        return ChainBreak(
            position=row.notification_id,
            problem="deleted",
            detail="the chain seals an event that is no longer stored",
        )
    if link(prev, row) != row.hash:
        return ChainBreak(
            position=row.notification_id,
            problem="altered",
            detail="the event does not match its seal: edited, or an event before it "
            "was removed together with its seal",
        )
    return None


def verify_chain(
    log: AuditLog, *, progress: Callable[[int, int], None] | None = None
) -> ChainReport:
    """Recompute the whole chain; ``progress(position, last)`` after each window."""
    last = log.last_position()
    prev, checked, position = GENESIS, 0, 0
    breaks: list[ChainBreak] = []
    while position < last:
        upto = min(position + WINDOW, last)
        for row in log.sealed(position, upto):
            found = _check(row, prev)
            if found is not None and len(breaks) < MAX_BREAKS:
                breaks.append(found)
            checked += row.topic != ""
            # Go on from the stored seal, so each break is reported once, where it is.
            prev = row.hash if row.hash is not None else link(prev, row)
        position = upto
        if progress is not None:
            progress(position, last)
    head, digest = log.head()
    return ChainReport(
        checked_events=checked, head=head, head_hash=digest.hex(), breaks=tuple(breaks)
    )


def _signature(key: bytes, notification_id: int, digest: str) -> str:
    return hmac.new(key, f"{notification_id}:{digest}".encode(), hashlib.sha256).hexdigest()


def checkpoint(log: AuditLog, now: dt.datetime, key: bytes | None = None) -> Checkpoint:
    """The chain's head now, signed with ``key`` (HMAC-SHA256) when one is given."""
    head, digest = log.head()
    signature = _signature(key, head, digest.hex()) if key else None
    return Checkpoint(notification_id=head, hash=digest.hex(), taken_at=now, signature=signature)


def check_checkpoint(
    log: AuditLog, point: Checkpoint, key: bytes | None = None
) -> ChainBreak | None:
    """Whether the chain still holds ``point``'s hash at its position (and the signature is
    the key's); a break at that position otherwise."""
    expected = _signature(key, point.notification_id, point.hash) if key else None
    if expected is not None and not hmac.compare_digest(point.signature or "", expected):
        return ChainBreak(
            position=point.notification_id,
            problem="checkpoint_signature",
            detail="the checkpoint's signature does not match the key",
        )
    rows = log.sealed(point.notification_id - 1, point.notification_id)
    stored = rows[0].hash.hex() if rows and rows[0].hash is not None else None
    if stored != point.hash:
        return ChainBreak(
            position=point.notification_id,
            problem="checkpoint",
            detail=f"the chain holds {stored or 'nothing'} where the checkpoint has {point.hash}",
        )
    return None
