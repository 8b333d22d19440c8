"""Readable, coloured log lines for a person at a terminal (`lunch run` in a TTY).

One line per record: time, component, message, then its fields as ``key=value``. The API's
request records read as ``GET /api/me 200 3.1 ms``; a message that is itself a JSON object
(the clock logs those) is unpacked into its ``event`` and fields.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from rich.console import Console
from rich.text import Text

from ops.logfields import fields_of

LEVEL_STYLES = {"WARNING": "bold yellow", "ERROR": "bold red", "CRITICAL": "bold white on red"}
COMPONENT_STYLES = {
    "run": "bold magenta",
    "supervisor": "magenta",
    "api": "cyan",
    "relay": "blue",
    "projector": "green",
    "clock": "yellow",
    "notifier": "bright_cyan",
    "recommender": "bright_green",
}
WIDTH = 11


def unpack(message: str, fields: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A message that is a JSON object becomes its ``event`` plus the remaining fields."""
    if not message.startswith("{"):
        return message, fields
    try:
        decoded = json.loads(message)
    except ValueError:
        return message, fields
    if not isinstance(decoded, dict):
        return message, fields
    event = str(decoded.pop("event", "")) or message
    return event, {**decoded, **fields}


def request_line(fields: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    rest = dict(fields)
    method, path = rest.pop("method", ""), rest.pop("path", "")
    status, ms = rest.pop("status", ""), rest.pop("ms", "")
    for noise in ("route", "request_id"):
        rest.pop(noise, None)
    if rest.get("tg_id") is None:
        rest.pop("tg_id", None)
    return f"{method} {path} {status} {ms} ms", rest


def render(record: logging.LogRecord, component: str) -> Text:
    """The record as one styled line."""
    fields = fields_of(record)
    message, fields = unpack(record.getMessage(), fields)
    if message == "request" and "path" in fields:
        message, fields = request_line(fields)
    who = str(fields.pop("component", "") or component or record.name.rpartition(".")[2])
    stamp = dt.datetime.fromtimestamp(record.created).strftime("%H:%M:%S")  # noqa: DTZ006 - local time for a person
    line = Text()
    line.append(stamp + " ", style="dim")
    line.append(who[:WIDTH].ljust(WIDTH) + " ", style=COMPONENT_STYLES.get(who, "white"))
    style = LEVEL_STYLES.get(record.levelname, "")
    if style:
        line.append(record.levelname.lower() + " ", style=style)
    line.append(message, style=style or "default")
    for key, value in fields.items():
        line.append(f" {key}=", style="dim")
        line.append(str(value), style="dim italic")
    return line


class ConsoleHandler(logging.Handler):
    """Writes each record as one coloured line on stderr (plain when colour is off)."""

    def __init__(self, component: str = "") -> None:
        super().__init__()
        self.component = component
        self.console = Console(stderr=True, highlight=False, soft_wrap=True)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = render(record, self.component)
            self.console.print(line)
            if record.exc_info:
                self.console.print(Text(logging.Formatter().formatException(record.exc_info)))
        except Exception:  # a log line must never take its process down
            self.handleError(record)
