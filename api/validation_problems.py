"""Litestar's validation errors as the contract's details: the offending field, a message
a person can act on, and every problem found."""

from __future__ import annotations

import re
from typing import Any

from litestar.exceptions import ValidationException

_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")
_AT_PATH = re.compile(r" - at `\$\.?([^`]*)`$")


def _problem(item: Any) -> dict[str, str]:
    """One validation problem as ``{"field", "message", "source"}``."""
    if not isinstance(item, dict):
        return {"field": "body", "message": str(item), "source": "body"}
    message = str(item.get("message", "invalid value"))
    field = str(item.get("key") or "body")
    if match := _UNKNOWN_FIELD.search(message):
        field = match.group(1)
    elif match := _AT_PATH.search(message):
        field = match.group(1) or field
        message = message[: match.start()]
    if field == "data":
        field = "body"
    if message == "'data'":
        message = "a JSON body is required"
    return {"field": field, "message": message, "source": str(item.get("source") or "body")}


def validation_details(exc: ValidationException) -> tuple[str, dict[str, Any]]:
    problems = [_problem(p) for p in exc.extra] if isinstance(exc.extra, list) else []
    if not problems:
        return "invalid request", {"field": "body"}
    first = problems[0]
    message = f"{first['field']}: {first['message']}"
    return message, {"field": first["field"], "source": first["source"], "problems": problems}
