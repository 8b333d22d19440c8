"""What the audit answers: an order's history with what each event changed, and the
differences found between the live read models and a replay of the event store."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec


class FieldChange(msgspec.Struct, frozen=True, kw_only=True):
    """One field of the order before and after an event (null: not there yet)."""

    field: str
    before: Any
    after: Any


class AuditEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One event of an order's stream: who, when, what, and what it changed."""

    version: int
    type: str
    at: dt.datetime
    actor: str
    data: dict[str, Any]
    notification_id: int
    changes: tuple[FieldChange, ...]


class Mismatch(msgspec.Struct, frozen=True, kw_only=True):
    """A difference found by verification.

    ``kind`` is ``read_model`` (a row of a live read model differs from the replay:
    ``projection``, ``table``, ``key`` and ``fields`` say where) or ``log`` (the event log's
    hash chain is broken at ``position``; ``problem`` says how).
    """

    kind: str
    detail: str
    projection: str | None = None
    table: str | None = None
    key: dict[str, Any] | None = None
    fields: tuple[str, ...] = ()
    position: int | None = None
    problem: str | None = None


class VerifyReport(msgspec.Struct, frozen=True, kw_only=True):
    ok: bool
    checked_events: int
    mismatches: tuple[Mismatch, ...]
    head: int = 0
    head_hash: str = ""
    compared_up_to: int = 0
