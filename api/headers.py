"""Security headers on every answer: what a browser may load, sniff and tell other sites;
and an ``Allow`` header on OPTIONS that names every method the path serves.

The Mini App's pages get a Content-Security-Policy that admits our own files and Telegram's
``telegram-web-app.js`` only, and may be framed by Telegram's web clients alone (the Mini
App runs inside web.telegram.org). API answers are data, never documents: their policy
forbids everything. The OpenAPI viewers under ``/schema`` load their scripts from public
CDNs, so they get no policy rather than a broken page.
"""

from __future__ import annotations

from litestar.types import Message, Scope

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


def _allowed(scope: Scope) -> str:
    """Every method served at the request's path. Routers that share a path (reads and
    manager writes of ``/api/cafes``) each answer OPTIONS with their own methods only."""
    template = scope.get("path_template")
    app = scope.get("app")
    if not template or app is None:
        return ""
    methods = {
        method
        for route in app.routes
        if route.path_format == template
        for method in getattr(route, "methods", ())
    }
    return ", ".join(sorted(methods | {"OPTIONS"}))


async def add_security_headers(message: Message, scope: Scope) -> None:
    """``before_send`` hook: every HTTP answer, including the router's own 404 and 405 and
    the rate limiter's 429, which no route middleware sees."""
    if message["type"] != "http.response.start":
        return
    extra = list(_COMMON)
    policy = policy_for(str(scope.get("path", "")))
    if policy is not None:
        extra.append((b"content-security-policy", policy.encode()))
    headers = list(message.get("headers", []))
    if scope.get("method") == "OPTIONS" and (allow := _allowed(scope)):
        headers = [(n, v) for n, v in headers if bytes(n).lower() != b"allow"]
        headers.append((b"allow", allow.encode()))
    present = {bytes(name).lower() for name, _ in headers}
    message["headers"] = [*headers, *((n, v) for n, v in extra if n not in present)]
