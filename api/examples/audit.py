"""Examples of the audit routes' bodies and of the event log's export."""

from __future__ import annotations

from typing import Any

from api.examples.bodies import ORDER_ID

AUDIT_BODIES: dict[str, dict[str, Any]] = {}
AUDIT_BODIES["AuditEvent"] = {
    "version": 2,
    "type": "Order.Changed",
    "at": "2026-11-26T09:40:12Z",
    "actor": "2001",
    "data": {"order_id": ORDER_ID, "combo_name": "Лёгкий", "total": 40000},
    "notification_id": 18342,
    "changes": [
        {"field": "dishes", "before": ["main: Пельмени"], "after": ["main: Котлета"]},
        {"field": "total", "before": 45000, "after": 40000},
    ],
}
AUDIT_BODIES["VerifyReport"] = {
    "ok": False,
    "checked_events": 1048576,
    "mismatches": [
        {
            "kind": "log",
            "detail": "the event does not match its seal",
            "position": 18342,
            "problem": "altered",
        },
        {
            "kind": "read_model",
            "detail": "the row differs from the replay",
            "projection": "orders",
            "table": "orders",
            "key": {"order_id": ORDER_ID},
            "fields": ["total"],
        },
    ],
    "head": 1048576,
    "head_hash": "9f2c4e0d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d",
    "compared_up_to": 1048570,
}
LOG_NDJSON = (
    '{"notification_id":18342,"originator_id":"' + ORDER_ID + '","originator_version":2,'
    '"type":"Order.Changed","event":{"type":"Order.Changed","at":"2026-11-26T09:40:12Z",'
    '"actor":"2001","order_id":"' + ORDER_ID + '","total":40000},'
    '"hash":"9f2c4e0d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d"}\n'
)
