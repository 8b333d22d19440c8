"""Process-wide JSON codecs: psycopg's json columns through msgspec, log lines too."""

from __future__ import annotations

import json
import logging

import msgspec
from psycopg.adapt import PyFormat, Transformer
from psycopg.types import json as pg_json

from ops.codecs import use_msgspec_for_json
from ops.logs import JsonLines


def test_psycopg_json_goes_through_msgspec() -> None:
    """After installing the codec, psycopg's jsonb dumper writes what msgspec encodes."""
    use_msgspec_for_json()
    try:
        dumper = Transformer().get_dumper(pg_json.Jsonb({"a": 1}), PyFormat.TEXT)
        dumped = dumper.dump(pg_json.Jsonb({"a": [1, "é"]}))
        assert dumped is not None
        assert bytes(dumped) == msgspec.json.encode({"a": [1, "é"]})
    finally:
        pg_json.set_json_dumps(json.dumps)
        pg_json.set_json_loads(json.loads)


def test_log_lines_with_odd_extras_still_encode() -> None:
    """A log extra msgspec cannot encode (tuple keys) still yields one JSON line."""
    record = logging.LogRecord("x", logging.INFO, "", 0, "hi", None, None)
    record.k = {(1, 2): 3}
    record.when = object()
    decoded = msgspec.json.decode(JsonLines().format(record))
    assert decoded["msg"] == "hi"
    assert decoded["k"] == {"(1, 2)": 3}
