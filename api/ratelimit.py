"""Rate limits shared by every api replica: fixed windows counted in Redis.

Each caller has a counter per window: the token's subject on ``/api`` routes (the client
address when there is no valid token), and the client address on ``/api/auth/*``, where
logging in happens. One Lua script increments a counter and starts its window atomically,
so replicas never lose a count. Redis being down must not take the API down with it:
requests then pass unlimited, the outage is logged once, and Redis is left alone for a
few seconds before the next try.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from api import freshness
from api.auth import Tokens
from api.errors import ApiError, Unauthenticated, error_response

log = logging.getLogger("lunch.api")

KEY_PREFIX = "lunch:rl"
REDIS_WAIT_SECONDS = 0.25
PAUSE_AFTER_OUTAGE_SECONDS = 5.0

# KEYS[1]: the counter; ARGV[1]: window length in ms. Returns {count, ms left in window,
# then each further key's hash}: the caller's pending writes (api.freshness) come back in
# the same round trip. A counter without an expiry (never expected) gets one too, so no
# key lives forever.
_COUNT = """
local count = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
local out = {count, left}
for i = 2, #KEYS do
  out[#out + 1] = redis.call('HGETALL', KEYS[i])
end
return out
"""


def _positive(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    value = int(raw)
    if value < 0:
        raise SystemExit(f"{name} must be 0 (no limit) or a positive number, not {raw}")
    return value


class RateLimits(msgspec.Struct, frozen=True, kw_only=True):
    """Requests allowed per window; 0 turns a limit off."""

    per_user: int = 600
    auth_per_address: int = 120
    window_seconds: int = 60

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> RateLimits:
        base = cls()
        return cls(
            per_user=_positive(environ, "LUNCH_RATE_LIMIT_PER_USER", base.per_user),
            auth_per_address=_positive(
                environ, "LUNCH_RATE_LIMIT_AUTH_PER_IP", base.auth_per_address
            ),
            window_seconds=max(
                _positive(environ, "LUNCH_RATE_LIMIT_WINDOW_SECONDS", base.window_seconds), 1
            ),
        )


class RateLimited(ApiError):
    code = "rate_limited"

    def __init__(self, seconds_left: float, limit: int, window_seconds: int) -> None:
        retry_after = max(math.ceil(seconds_left), 1)
        super().__init__(
            "too many requests; slow down",
            limit=limit,
            window_seconds=window_seconds,
            retry_after=retry_after,
        )
        self.headers = {"Retry-After": str(retry_after)}


class Counter:
    """Counts hits per key and window in Redis; ``None`` when Redis cannot answer."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._script: AsyncScript | None = None
        self._paused_until = 0.0
        self._down = False

    async def hit(
        self, key: str, window_seconds: int, read: Sequence[str] = ()
    ) -> tuple[int, float, list[Any]] | None:
        """(hits in the current window including this one, seconds until it ends, and the
        hashes at ``read`` as flat field/value lists)."""
        if time.monotonic() < self._paused_until:
            return None
        if self._script is None:
            self._script = self._redis.register_script(_COUNT)
        try:
            count, left_ms, *hashes = await asyncio.wait_for(
                self._script(keys=[key, *read], args=[window_seconds * 1000]), REDIS_WAIT_SECONDS
            )
        except (RedisError, OSError, TimeoutError) as e:
            self._paused_until = time.monotonic() + PAUSE_AFTER_OUTAGE_SECONDS
            if not self._down:
                self._down = True
                log.warning(
                    "rate limiting is off while Redis is unavailable", extra={"error": repr(e)}
                )
            return None
        if self._down:
            self._down = False
            log.info("rate limiting is back on: Redis answers again")
        return int(count), int(left_ms) / 1000, hashes


def _client_address(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "-"


def _bearer(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
    return ""


class RateLimit(ASGIMiddleware):
    """Refuses a caller's requests beyond their limit with 429 ``rate_limited`` and
    ``Retry-After``; routes outside ``/api`` (health, metrics, schema, the Mini App) are free."""

    def __init__(self, redis: Redis, tokens: Tokens, limits: RateLimits) -> None:
        self.counter = Counter(redis)
        self.tokens = tokens
        self.limits = limits

    def _subject(self, scope: Scope) -> tuple[str, int, int | None]:
        """Who is counted, their limit, and their Telegram id when a valid token says."""
        path: str = scope.get("path", "")
        address = _client_address(scope)
        if path.startswith("/api/auth/"):
            return f"auth:{address}", self.limits.auth_per_address, None
        token = _bearer(scope)
        if token:
            try:
                tg_id = self.tokens.read(token).tg_id
            except Unauthenticated:
                pass  # refused later by the guard; counted by address meanwhile
            else:
                return f"user:{tg_id}", self.limits.per_user, tg_id
        return f"addr:{address}", self.limits.per_user, None

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["type"] == ScopeType.HTTP and str(scope.get("path", "")).startswith("/api/"):
            subject, limit, tg_id = self._subject(scope)
            if limit > 0:
                window = self.limits.window_seconds
                read = freshness.prefetch_keys(tg_id) if tg_id is not None else []
                seen = await self.counter.hit(f"{KEY_PREFIX}:{subject}", window, read)
                if seen is not None and seen[0] > limit:
                    await self._refuse(scope, receive, send, RateLimited(seen[1], limit, window))
                    return
                if seen is not None and tg_id is not None:
                    freshness.prefetched(tg_id, seen[2])
        await next_app(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, refusal: RateLimited) -> None:
        # Answered here rather than raised, so the request's own middleware (request id,
        # metrics) sees the 429 it sends.
        response = error_response(refusal.code, refusal.message, refusal.details, refusal.headers)
        request: Request[Any, Any, Any] = Request(scope, receive)
        await response.to_asgi_response(None, request)(scope, receive, send)
