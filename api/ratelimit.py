"""Rate limits shared by every api replica: sliding windows counted in Redis.

On ``/api`` each caller has a budget per window: the token's subject (the client address
when there is no valid token). On ``/api/auth/*``, where logging in happens, the client
address has two: every call counts against a generous one, sized for an office whose
hundreds of employees log in at nine from behind one NAT address, and failed logins
(400, 401, 403) count against a small one; once that is spent, the address is refused
until its failures age out of the window. Windows slide (see ``api.sliding_window``), so
no burst of twice a limit passes at a boundary. Redis being down must not take the API
down with it: requests then pass unlimited (fail open), and the outage is logged once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

import msgspec
from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from redis.asyncio import Redis

from api import freshness
from api.auth import Tokens
from api.errors import ApiError, Unauthenticated, error_response
from api.sliding_window import SlidingWindow

KEY_PREFIX = "lunch:rl"
FAILED_LOGIN = frozenset({400, 401, 403})


def _positive(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    value = int(raw)
    if value < 0:
        raise SystemExit(f"{name} must be 0 (no limit) or a positive number, not {raw}")
    return value


class RateLimits(msgspec.Struct, frozen=True, kw_only=True):
    """Requests allowed per sliding window; 0 turns a limit off."""

    per_user: int = 600
    auth_per_address: int = 3000
    auth_failures_per_address: int = 30
    window_seconds: int = 60

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> RateLimits:
        base = cls()
        return cls(
            per_user=_positive(environ, "LUNCH_RATE_LIMIT_PER_USER", base.per_user),
            auth_per_address=_positive(
                environ, "LUNCH_RATE_LIMIT_AUTH_PER_IP", base.auth_per_address
            ),
            auth_failures_per_address=_positive(
                environ, "LUNCH_RATE_LIMIT_AUTH_FAILURES_PER_IP", base.auth_failures_per_address
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

    def __init__(
        self,
        redis: Redis,
        tokens: Tokens,
        limits: RateLimits,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.window = SlidingWindow(redis)
        self.tokens = tokens
        self.limits = limits
        self.clock = clock

    def _subject(self, scope: Scope) -> tuple[str, int | None]:
        """Who is counted, and their Telegram id when a valid token says."""
        token = _bearer(scope)
        if token:
            try:
                tg_id = self.tokens.read(token).tg_id
            except Unauthenticated:
                pass  # refused later by the guard; counted by address meanwhile
            else:
                return f"user:{tg_id}", tg_id
        return f"addr:{_client_address(scope)}", None

    async def _refusal(
        self, key: str, limit: int, now: float, tg_id: int | None = None
    ) -> RateLimited | None:
        """Admit one request under ``key``, or the refusal when its window is full. For a
        known user, their pending writes (api.freshness) come back in the same round trip."""
        if limit <= 0:
            return None
        window = self.limits.window_seconds
        read = freshness.prefetch_keys(tg_id) if tg_id is not None else ()
        verdict = await self.window.admit(f"{KEY_PREFIX}:{key}", limit, window, now, read)
        if verdict is None:
            return None
        if not verdict.admitted:
            return RateLimited(verdict.seconds_until_room, limit, window)
        if tg_id is not None:
            freshness.prefetched(tg_id, verdict.hashes)
        return None

    async def _too_many_failures(self, address: str, now: float) -> RateLimited | None:
        limit, window = self.limits.auth_failures_per_address, self.limits.window_seconds
        if limit <= 0:
            return None
        verdict = await self.window.peek(f"{KEY_PREFIX}:failed:{address}", limit, window, now)
        if verdict is None or verdict.count < limit:
            return None
        return RateLimited(verdict.seconds_until_room, limit, window)

    async def _log_in(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        now, address = self.clock().timestamp(), _client_address(scope)
        refusal = await self._too_many_failures(address, now) or await self._refusal(
            f"auth:{address}", self.limits.auth_per_address, now
        )
        if refusal is not None:
            await self._refuse(scope, receive, send, refusal)
            return
        statuses: list[int] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(int(message["status"]))
            await send(message)

        await next_app(scope, receive, watch)
        limit = self.limits.auth_failures_per_address
        if limit > 0 and statuses and statuses[0] in FAILED_LOGIN:
            key = f"{KEY_PREFIX}:failed:{address}"
            await self.window.record(key, limit, self.limits.window_seconds, now)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != ScopeType.HTTP or not path.startswith("/api/"):
            await next_app(scope, receive, send)
            return
        if path.startswith("/api/auth/"):
            await self._log_in(scope, receive, send, next_app)
            return
        now = self.clock().timestamp()
        subject, tg_id = self._subject(scope)
        refusal = await self._refusal(subject, self.limits.per_user, now, tg_id)
        if refusal is not None:
            await self._refuse(scope, receive, send, refusal)
            return
        await next_app(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, refusal: RateLimited) -> None:
        # Answered here rather than raised, so the request's own middleware (request id,
        # metrics) sees the 429 it sends.
        response = error_response(refusal.code, refusal.message, refusal.details, refusal.headers)
        request: Request[Any, Any, Any] = Request(scope, receive)
        await response.to_asgi_response(None, request)(scope, receive, send)
