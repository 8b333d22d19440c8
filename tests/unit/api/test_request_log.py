"""The request's log line: an error answer names its code; a client that disconnects before
its body arrived is logged as gone, not as a 500."""

from __future__ import annotations

import logging
from typing import Any

import msgspec
import pytest
from litestar import Litestar, post
from litestar.params import JSONBody
from litestar.testing import TestClient

from api import errors
from api.metrics import Metrics, Observe


class Body(msgspec.Struct):
    name: str


@post("/take")
async def take(data: JSONBody[Body]) -> dict[str, str]:
    return {"name": data.name}


def logged() -> tuple[Any, Any]:
    """A handler keeping the api logger's records, and a function that removes it again."""
    kept, level = Kept(), errors.log.level
    errors.log.addHandler(kept)
    errors.log.setLevel(logging.INFO)

    def done() -> None:
        errors.log.removeHandler(kept)
        errors.log.setLevel(level)

    return kept, done


def app() -> Litestar:
    return Litestar(
        [take],
        middleware=[Observe(Metrics())],
        exception_handlers={Exception: errors.handle_exception},
    )


async def call(app: Litestar) -> list[dict[str, Any]]:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/take", "raw_path": b"/take", "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"20")],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "root_path": "",
    }  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[arg-type]
    return sent


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def test_a_body_that_never_came_is_499_and_no_error() -> None:
    kept, done = logged()
    try:
        sent = await call(app())
    finally:
        done()
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == errors.CLIENT_GONE_STATUS
    assert not [r for r in kept.records if r.levelno >= logging.ERROR]
    assert any(r.getMessage() == "client went away" for r in kept.records)


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [(b'{"name": "Ann"}', 201, None), (b'{"name": 1}', 400, "invalid_request")],
)
def test_the_request_line_names_the_error_code(body: bytes, status: int, error: str | None) -> None:
    kept, done = logged()
    try:
        with TestClient(app()) as client:
            answer = client.post(
                "/take", content=body, headers={"content-type": "application/json"}
            )
    finally:
        done()
    assert answer.status_code == status
    (line,) = [r for r in kept.records if r.getMessage() == "request"]
    assert (line.status, line.error) == (status, error)
