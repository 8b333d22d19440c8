"""JSON-lines logging on stderr, one object per record."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

import msgspec

# Libraries whose INFO lines repeat every second or duplicate our own request log.
QUIET = ("aiokafka", "uvicorn.access")

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None)))
_STANDARD |= {"message", "asctime", "color_message"}


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        try:
            # msgspec: a request log line costs a few microseconds instead of tens.
            return msgspec.json.encode(line, enc_hook=str).decode()
        except (TypeError, msgspec.EncodeError):  # e.g. an extra with non-string keys
            return json.dumps(line, default=str, ensure_ascii=False)


def configure(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
