"""Security headers on every answer: what a browser may load, sniff and tell other sites.

The Mini App's pages get a Content-Security-Policy that admits our own files and Telegram's
``telegram-web-app.js`` only, and may be framed by Telegram's web clients alone (the Mini
App runs inside web.telegram.org). API answers are data, never documents: their policy
forbids everything. The OpenAPI viewers under ``/schema`` load their scripts from public
CDNs, so they get no policy rather than a broken page.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

MINIAPP_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' https://telegram.org",
        # Telegram's theme and safe-area variables arrive as inline styles.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "connect-src 'self'",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org",
    )
)
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
_COMMON: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
_DATA_PREFIXES = ("/api/", "/health", "/metrics")


def policy_for(path: str) -> str | None:
    """The Content-Security-Policy for a path, or None for the OpenAPI viewers."""
    if path == "/schema" or path.startswith("/schema/"):
        return None
    if path.startswith(_DATA_PREFIXES):
        return API_POLICY
    return MINIAPP_POLICY


class SecurityHeaders(ASGIMiddleware):
    """Adds the headers to every HTTP answer, errors and rate-limit refusals included."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["type"] != ScopeType.HTTP:
            await next_app(scope, receive, send)
            return
        policy = policy_for(str(scope.get("path", "")))
        extra = list(_COMMON)
        if policy is not None:
            extra.append((b"content-security-policy", policy.encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(n, v) for n, v in extra if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await next_app(scope, receive, send_with_headers)
