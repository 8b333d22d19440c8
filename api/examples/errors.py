"""Examples of the error body, one per status the API answers with."""

from __future__ import annotations

from typing import Any

from api.examples.bodies import CAFE_ID


def _error(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


INVALID_REQUEST = _error("invalid_request", "date: Expected `date`, got `str`", field="date")
UNAUTHENTICATED = _error("unauthenticated", "a bearer token is required")
FORBIDDEN = _error("forbidden", "this needs the role manager", role="employee")
NOT_FOUND = _error("not_found", "no such cafe", cafe_id=CAFE_ID)
CONFLICT = _error("conflict", "the cafe changed meanwhile; try again")
PAYLOAD_TOO_LARGE = _error("payload_too_large", "request body is too large")
RATE_LIMITED = _error(
    "rate_limited", "too many requests; slow down", limit=600, window_seconds=60, retry_after=17
)
UNAVAILABLE = _error(
    "unavailable",
    "a backing service is unavailable; try again shortly",
    request_id="5f0c9d1e2b3a4c5d6e7f8a9b0c1d2e3f",
)
