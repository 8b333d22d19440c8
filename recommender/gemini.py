"""The one module that talks to Gemini (google-genai): a JSON answer or a named failure."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from google import genai
from google.genai import errors, types

TIMEOUT_SECONDS = 60.0
_DELAY = re.compile(r"^(\d+(?:\.\d+)?)s$")
_RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


class GeminiError(Exception):
    """The request brought no answer."""


class RateLimited(GeminiError):
    """429 RESOURCE_EXHAUSTED: the key's quota is spent for now."""

    def __init__(self, retry_after: float | None) -> None:
        super().__init__(f"rate limited, retry after {retry_after}s")
        self.retry_after = retry_after


class KeyRejected(GeminiError):
    """The key itself is refused (invalid, unauthorised, forbidden): it will not get better."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Failed(GeminiError):
    """Anything else: a server error, a timeout, a transport failure."""


def _error_body(e: errors.APIError) -> dict[str, Any]:
    body = e.details if isinstance(e.details, dict) else {}
    error = body.get("error", body)
    return error if isinstance(error, dict) else {}


def retry_delay(e: errors.APIError) -> float | None:
    """The ``google.rpc.RetryInfo`` delay in the error's details, in seconds."""
    for detail in _error_body(e).get("details") or []:
        if isinstance(detail, dict) and detail.get("@type") == _RETRY_INFO:
            match = _DELAY.match(str(detail.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None


def _reasons(e: errors.APIError) -> list[str]:
    details = _error_body(e).get("details") or []
    return [str(d.get("reason")) for d in details if isinstance(d, dict) and d.get("reason")]


def classify(e: errors.APIError) -> GeminiError:
    if e.code == 429:
        return RateLimited(retry_delay(e))
    if e.code in (401, 403):
        return KeyRejected(f"{e.code} {e.status or ''}".strip())
    if e.code == 400 and "API_KEY_INVALID" in _reasons(e):
        return KeyRejected("400 API_KEY_INVALID")
    return Failed(f"{e.code} {e.status or ''}".strip())


class Gemini:
    """Calls ``generateContent`` with structured JSON output, one client per key."""

    def __init__(self, model: str, base_url: str = "", timeout: float = TIMEOUT_SECONDS) -> None:
        self.model = model
        self.timeout = timeout
        self._options = types.HttpOptions(base_url=base_url or None, timeout=int(timeout * 1000))
        self._clients: dict[str, genai.Client] = {}

    def _client(self, key: str) -> genai.Client:
        if key not in self._clients:
            self._clients[key] = genai.Client(api_key=key, http_options=self._options)
        return self._clients[key]

    async def generate(self, key: str, prompt: str, schema: dict[str, Any]) -> str:
        """The answer's JSON text; raises RateLimited, KeyRejected or Failed."""
        config = types.GenerateContentConfig(
            response_mime_type="application/json",
            response_json_schema=schema,
            temperature=0.4,
            thinking_config=types.ThinkingConfig(thinking_budget=0),
        )
        try:
            async with asyncio.timeout(self.timeout):
                response = await self._client(key).aio.models.generate_content(
                    model=self.model, contents=prompt, config=config
                )
        except errors.APIError as e:
            raise classify(e) from e
        except TimeoutError as e:
            raise Failed(f"no answer within {self.timeout}s") from e
        except Exception as e:  # transport errors of httpx or aiohttp, whichever the SDK uses
            raise Failed(type(e).__name__) from e
        if not response.text:
            raise Failed("empty answer")
        return response.text

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aio.aclose()
        self._clients.clear()
