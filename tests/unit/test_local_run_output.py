"""What a person sees from `lunch run`: log format choice, readable lines, the banner."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ops.banner import banner_lines
from ops.console import render
from ops.logs import JsonLines, log_format, polled_and_fine


def record(msg: str, **fields: object) -> logging.LogRecord:
    rec = logging.LogRecord("lunch.api", logging.INFO, __file__, 1, msg, None, None)
    for key, value in fields.items():
        setattr(rec, key, value)
    return rec


def test_terminal_gets_console_lines_and_a_pipe_gets_json() -> None:
    """Without LUNCH_LOG_FORMAT the format follows whether stderr is a terminal."""
    assert log_format({}, tty=True) == "console"
    assert log_format({}, tty=False) == "json"


def test_asking_for_json_wins_over_the_terminal() -> None:
    """LUNCH_LOG_FORMAT=json gives JSON lines even in a terminal, and console the reverse."""
    assert log_format({"LUNCH_LOG_FORMAT": "json"}, tty=True) == "json"
    assert log_format({"LUNCH_LOG_FORMAT": "console"}, tty=False) == "console"


def test_successful_health_polls_are_not_logged_but_failures_are() -> None:
    """A 200 on /health is dropped; a 503 on /health and any /api request are kept."""
    assert polled_and_fine(record("request", path="/health", status=200))
    assert polled_and_fine(record("request", path="/metrics", status=200))
    assert not polled_and_fine(record("request", path="/health", status=503))
    assert not polled_and_fine(record("request", path="/api/me", status=200))


def test_request_reads_as_method_path_status_and_time() -> None:
    """The API's request record renders as one short line without its request id."""
    fields = {"method": "GET", "path": "/api/me", "route": "/api/me", "status": 200, "ms": 3.1}
    line = render(record("request", request_id="abc", tg_id=2001, **fields), "api").plain
    assert "api" in line
    assert "GET /api/me 200 3.1 ms" in line
    assert "tg_id=2001" in line
    assert "abc" not in line


def test_a_json_message_is_unpacked_into_event_and_fields() -> None:
    """A record whose message is a JSON object shows its event name and key=value fields."""
    message = json.dumps({"event": "ordering_closed", "cafe_id": "c1", "date": "2026-11-28"})
    line = render(record(message), "clock").plain
    assert "ordering_closed cafe_id=c1 date=2026-11-28" in line
    assert "{" not in line


def test_json_lines_carry_the_component() -> None:
    """In JSON mode every line names its component, for log search in production."""
    rec = record("started", component="relay")
    assert json.loads(JsonLines().format(rec))["component"] == "relay"


def test_banner_starts_with_the_contract_line_and_names_the_demo_users(tmp_path: Path) -> None:
    """The first line is `Lunch is up: URL`; the rest say who to log in as and how."""
    url = "http://127.0.0.1:8000"
    lines = banner_lines(url, {"LUNCH_DEV_LOGIN": "1"}, tmp_path, demo=True)
    assert lines[0] == f"Lunch is up: {url}"
    text = "\n".join(lines)
    assert "1001" in text
    assert "3001" in text
    assert "2001" in text
    assert "/api/auth/dev" in text


def test_banner_without_dev_login_points_to_telegram(tmp_path: Path) -> None:
    """With the development login off, the banner does not offer it."""
    text = "\n".join(banner_lines("http://x", {"LUNCH_DEV_LOGIN": "0"}, tmp_path, demo=False))
    assert "/api/auth/dev" not in text
    assert "Telegram" in text
