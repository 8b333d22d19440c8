"""Free text from people: trimmed, bounded, and free of control characters.

PostgreSQL refuses NUL in text and JSON, and other control characters only hide
mischief in reports and chat messages, so they are refused at the door.
"""

from __future__ import annotations

import re

from domain.errors import InvalidRequest

# The same rules as JSON-schema patterns, so the OpenAPI document states them: a required
# line has no control character and something besides whitespace; free text (notes,
# descriptions) may hold tabs and line breaks but no other control character.
LINE_PATTERN = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")


def has_control(value: str, *, multiline: bool = False) -> bool:
    return bool((_CONTROL if multiline else _CONTROL_SINGLE_LINE).search(value))


def clean(
    value: str, field: str, *, max_length: int, required: bool = True, multiline: bool = False
) -> str:
    """``value`` trimmed; refused if empty (when required), too long or with control characters."""
    if has_control(value, multiline=multiline):
        raise InvalidRequest(f"{field} contains control characters", field=field)
    text = value.strip()
    if (required and not text) or len(text) > max_length:
        low = 1 if required else 0
        raise InvalidRequest(f"{field} must be {low}..{max_length} characters", field=field)
    return text
