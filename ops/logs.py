"""Log lines on stderr: JSON objects for machines, coloured lines for a person at a terminal.

``LUNCH_LOG_FORMAT`` picks one (``json`` or ``console``); unset, a terminal gets console lines
and anything else (a pipe, a file, a container's log driver) gets JSON lines. Successful
``/health`` and ``/metrics`` requests are not logged in either format: they are polled every
few seconds by `lunch run`, container health checks and Prometheus, and are counted as metrics.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Mapping

import msgspec

from ops.console import ConsoleHandler
from ops.logfields import fields_of

# Libraries whose INFO lines repeat every second or duplicate our own request log.
QUIET = ("aiokafka", "uvicorn.access")
# uvicorn's start-up chatter; the launcher's banner says the one thing a person needs.
QUIET_ON_CONSOLE = ("uvicorn.error",)
FORMATS = ("json", "console")
POLLED_PATHS = ("/health", "/metrics")
CLIENT_ERROR = 400


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(fields_of(record))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        try:
            # msgspec: a request log line costs a few microseconds instead of tens.
            return msgspec.json.encode(line, enc_hook=str).decode()
        except (TypeError, msgspec.EncodeError):  # e.g. an extra with non-string keys
            return json.dumps(line, default=str, ensure_ascii=False)


class WithComponent(logging.Filter):
    """Stamps each record with the component that logged it, for JSON consumers."""

    def __init__(self, component: str) -> None:
        super().__init__()
        self.component = component

    def filter(self, record: logging.LogRecord) -> bool:
        if self.component and not hasattr(record, "component"):
            record.component = self.component
        return True


def polled_and_fine(record: logging.LogRecord) -> bool:
    """A successful request to a path that monitors poll: counted, not logged."""
    path = getattr(record, "path", None)
    status = getattr(record, "status", CLIENT_ERROR)
    return (
        record.getMessage() == "request"
        and isinstance(path, str)
        and path.startswith(POLLED_PATHS)
        and isinstance(status, int)
        and status < CLIENT_ERROR
    )


def log_format(environ: Mapping[str, str], *, tty: bool) -> str:
    """``json`` or ``console``: as asked in LUNCH_LOG_FORMAT, else by whether stderr is a TTY."""
    asked = environ.get("LUNCH_LOG_FORMAT", "").strip().lower()
    if asked in FORMATS:
        return asked
    return "console" if tty else "json"


def configure(level: int = logging.INFO, *, component: str = "", fmt: str | None = None) -> str:
    """Route every logger to stderr in the chosen format; returns the format used."""
    fmt = fmt or log_format(os.environ, tty=sys.stderr.isatty())
    handler: logging.Handler
    if fmt == "console":
        handler = ConsoleHandler(component)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLines())
    handler.addFilter(WithComponent(component))
    handler.addFilter(lambda record: not polled_and_fine(record))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in QUIET + (QUIET_ON_CONSOLE if fmt == "console" else ()):
        logging.getLogger(name).setLevel(logging.WARNING)
    return fmt
