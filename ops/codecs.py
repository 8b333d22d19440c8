"""psycopg's json/jsonb columns read and written with msgspec instead of the json module."""

from __future__ import annotations

import msgspec
from psycopg.types.json import set_json_dumps, set_json_loads


def use_msgspec_for_json() -> None:
    """Process-wide: every psycopg connection opened afterwards (pools open them lazily)."""
    set_json_loads(msgspec.json.decode)
    set_json_dumps(msgspec.json.encode)
