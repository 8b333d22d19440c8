"""An order's history: each event with its author, time and what it changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from domain import events as e
from projections.audit.views import AuditEvent, FieldChange

# The order as an auditor compares it from one event to the next.
Snapshot = dict[str, Any]
_HEADER = ("type", "at", "actor")


def _extra(x: e.OrderedExtra) -> str:
    return x.name if x.qty == 1 else f"{x.name} ×{x.qty}"


def _after(before: Snapshot, event: e.Event) -> Snapshot:
    match event:
        case e.OrderPlaced() | e.OrderChanged():
            return {
                "status": "placed",
                "cafe": event.cafe_name,
                "date": event.date.isoformat(),
                "combo": event.combo_name,
                "dishes": [f"{d.category}: {d.name}" for d in event.dishes],
                "extras": [_extra(x) for x in event.extras],
                "total": event.total,
                "note": event.note,
            }
        case e.OrderCancelled():
            return {**before, "status": "cancelled"}
        case e.OrderRejected():
            return {**before, "status": "rejected", "reason": event.reason}
    return before


def _diff(before: Snapshot, after: Snapshot) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(field=name, before=before.get(name), after=after.get(name))
        for name in after
        if before.get(name) != after.get(name)
    )


def order_history(events: Sequence[e.Recorded]) -> list[AuditEvent]:
    """The order stream's events (oldest first), each with its changes to the order."""
    state: Snapshot = {}
    out = []
    for recorded in events:
        event = recorded.event
        data = msgspec.to_builtins(event)
        after = _after(state, event)
        out.append(
            AuditEvent(
                version=recorded.originator_version,
                type=data["type"],
                at=event.at,
                actor=event.actor,
                data={k: v for k, v in data.items() if k not in _HEADER},
                notification_id=recorded.notification_id,
                changes=_diff(state, after),
            )
        )
        state = after
    return out
