"""A local Gemini API server speaking the REST protocol google-genai uses.

``POST /{version}/models/{model}:generateContent`` with the key in ``x-goog-api-key``.
Each key has a scripted behaviour; every call is recorded. A ranking answer is made from the
request itself: each employee's candidates in reverse order, with a reason naming the
employee's language, so a test can tell Gemini's ranking from the fallback's.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

RETRY_DELAY_SECONDS = 30


class Behaviour(enum.Enum):
    OK = "ok"
    RATE_LIMITED = "429 with a retry delay"
    INVALID = "400 API_KEY_INVALID"
    FORBIDDEN = "403"
    SERVER_ERROR = "500"
    SLOW = "answers after slow_seconds"
    MALFORMED = "200 with text that is not JSON"
    UNKNOWN_IDS = "ok, plus dish ids it was never given"


@dataclass(frozen=True)
class Call:
    key: str
    version: str
    model: str
    body: dict[str, Any]

    @property
    def prompt(self) -> str:
        return str(self.body["contents"][0]["parts"][0]["text"])


def _error(code: int, status: str, message: str, *details: dict[str, Any]) -> web.Response:
    body = {"error": {"code": code, "message": message, "status": status, "details": list(details)}}
    return web.json_response(body, status=code)


def ranking_answer(prompt: str, *, unknown_ids: bool = False) -> str:
    """Every employee's candidates reversed, each with a reason in the employee's language."""
    employees = json.loads(prompt.split("Employees:\n", 1)[1])
    answer = []
    for employee in employees:
        picks = [
            {"id": c["id"], "reason": f"[{employee['language']}] {c['dish']} fits today"}
            for c in reversed(employee["candidates"])
        ]
        if unknown_ids:
            picks.insert(0, {"id": "c999", "reason": "a dish that does not exist"})
        answer.append({"ref": employee["ref"], "items": picks})
    return json.dumps({"employees": answer}, ensure_ascii=False)


def _content(text: str, model: str) -> web.Response:
    return web.json_response(
        {
            "candidates": [
                {
                    "content": {"parts": [{"text": text}], "role": "model"},
                    "finishReason": "STOP",
                    "index": 0,
                }
            ],
            "usageMetadata": {"promptTokenCount": 100, "candidatesTokenCount": 50},
            "modelVersion": model,
        }
    )


@dataclass
class FakeGemini:
    """Behaviour per key (unknown keys: INVALID); ``calls`` in the order they arrived."""

    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    slow_seconds: float = 5.0
    calls: list[Call] = field(default_factory=list)
    base_url: str = ""
    released: asyncio.Event | None = None  # set when the server stops: slow answers end

    def calls_with(self, key: str) -> list[Call]:
        return [c for c in self.calls if c.key == key]

    async def _generate(self, request: web.Request) -> web.Response:  # noqa: PLR0911 - one per behaviour
        model, _, action = request.match_info["model_action"].partition(":")
        if action != "generateContent":
            return _error(404, "NOT_FOUND", f"no action {action}")
        key = request.headers.get("x-goog-api-key", "")
        call = Call(key, request.match_info["version"], model, await request.json())
        self.calls.append(call)
        match self.behaviours.get(key, Behaviour.INVALID):
            case Behaviour.RATE_LIMITED:
                return _error(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "You exceeded your current quota.",
                    {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []},
                    {
                        "@type": "type.googleapis.com/google.rpc.RetryInfo",
                        "retryDelay": f"{RETRY_DELAY_SECONDS}s",
                    },
                )
            case Behaviour.INVALID:
                return _error(
                    400,
                    "INVALID_ARGUMENT",
                    "API key not valid. Please pass a valid API key.",
                    {
                        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "API_KEY_INVALID",
                        "domain": "googleapis.com",
                    },
                )
            case Behaviour.FORBIDDEN:
                return _error(403, "PERMISSION_DENIED", "Permission denied on this project.")
            case Behaviour.SERVER_ERROR:
                return _error(500, "INTERNAL", "An internal error has occurred.")
            case Behaviour.MALFORMED:
                return _content('{"employees": [{"ref": "e1", "items": [', model)
            case Behaviour.SLOW:
                assert self.released is not None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.released.wait(), self.slow_seconds)
                return _content(ranking_answer(call.prompt), model)
            case Behaviour.UNKNOWN_IDS:
                return _content(ranking_answer(call.prompt, unknown_ids=True), model)
            case Behaviour.OK:
                return _content(ranking_answer(call.prompt), model)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{version}/models/{model_action}", self._generate)
        return app


@contextmanager
def fake_gemini(
    behaviours: dict[str, Behaviour], slow_seconds: float = 5.0
) -> Iterator[FakeGemini]:
    """The fake served on a loopback port by its own event loop in a thread."""
    fake = FakeGemini(behaviours=dict(behaviours), slow_seconds=slow_seconds)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(fake.app(), handle_signals=False)
    started = threading.Event()

    async def start() -> None:
        fake.released = asyncio.Event()
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        fake.base_url = f"http://127.0.0.1:{port}"
        started.set()

    thread = threading.Thread(target=loop.run_forever, name="fake-gemini", daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result(10)
    started.wait(10)
    try:
        yield fake
    finally:
        if fake.released is not None:
            loop.call_soon_threadsafe(fake.released.set)
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
