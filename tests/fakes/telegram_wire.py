"""The Bot API's wire format as the fake server reads and answers it."""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Fault:
    method: str
    kind: str  # "429" | "403" | "migrate" | "500" | "slow" | "drop" | "lost"
    chat_id: int | None = None
    value: float = 0


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


def parse_params(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        out[key] = value
        if isinstance(value, str) and value[:1] in "[{" and value[-1:] in "]}":
            with contextlib.suppress(ValueError):
                out[key] = json.loads(value)
    for key in ("chat_id", "message_id", "offset", "timeout"):
        if key in out and out[key] not in (None, ""):
            out[key] = int(out[key])
    return out


def error_response(code: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)
