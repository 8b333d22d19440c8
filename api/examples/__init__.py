"""Example bodies for the OpenAPI document (a unit test decodes each into its own type).

No nulls: Litestar leaves out every null when it writes the document, examples included."""

from __future__ import annotations

from typing import Any

from api.examples.audit import AUDIT_BODIES, LOG_NDJSON
from api.examples.bodies import BODIES as OFFICE_BODIES
from api.examples.bodies import REPORT_CSV, ROSTER_CSV
from api.examples.errors import (
    CONFLICT,
    FORBIDDEN,
    INVALID_REQUEST,
    NOT_FOUND,
    PAYLOAD_TOO_LARGE,
    RATE_LIMITED,
    UNAUTHENTICATED,
    UNAVAILABLE,
)

# Every component's example, by the component's name.
BODIES: dict[str, dict[str, Any]] = {**OFFICE_BODIES, **AUDIT_BODIES}

__all__ = [
    "BODIES",
    "CONFLICT",
    "FORBIDDEN",
    "INVALID_REQUEST",
    "LOG_NDJSON",
    "NOT_FOUND",
    "PAYLOAD_TOO_LARGE",
    "RATE_LIMITED",
    "REPORT_CSV",
    "ROSTER_CSV",
    "UNAUTHENTICATED",
    "UNAVAILABLE",
]
