"""Who is calling: short HS256 tokens carrying the Telegram id and role, and route guards.

The signing secret is ``JWT_SECRET``; without one (allowed in development only, see
``Settings.check``) each api process draws a random secret at start, so tokens do not
survive a restart and every replica would need the same ``JWT_SECRET`` anyway.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

import jwt
import msgspec
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler

from api.errors import Unauthenticated
from domain.employee import ROLES

TOKEN_TTL = dt.timedelta(hours=12)
ALGORITHM = "HS256"
PUBLIC = "public"  # handler opt key: no token needed
READ_CACHE_SIZE = 4096


class User(msgspec.Struct, frozen=True, kw_only=True):
    tg_id: int
    name: str
    office: str
    role: str


class Tokens:
    """Issues and reads the API's bearer tokens."""

    def __init__(
        self,
        secret: str,
        *,
        now: Callable[[], dt.datetime],
        ttl: dt.timedelta = TOKEN_TTL,
    ) -> None:
        self._key = secret.encode() if secret else secrets.token_bytes(32)
        self._now = now
        self.ttl = min(ttl, TOKEN_TTL)
        # Verified tokens, so the rate limiter and the guard check a signature once per
        # token rather than twice per request; expiry is still checked on every read.
        self._verified: dict[str, tuple[User, int]] = {}

    def issue(self, user: User) -> str:
        issued = self._now()
        claims = {
            "sub": str(user.tg_id),
            "role": user.role,
            "name": user.name,
            "office": user.office,
            "iat": int(issued.timestamp()),
            "exp": int((issued + self.ttl).timestamp()),
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)

    def read(self, token: str) -> User:
        found = self._verified.get(token)
        if found is None:
            found = self._verify(token)
            if len(self._verified) >= READ_CACHE_SIZE:
                self._verified.clear()
            self._verified[token] = found
        user, expires = found
        if expires <= int(self._now().timestamp()):
            raise Unauthenticated("token expired; log in again")
        return user

    def _verify(self, token: str) -> tuple[User, int]:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                options={
                    "require": ["exp", "iat", "sub"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError as e:
            raise Unauthenticated("invalid token") from e
        role, sub = claims.get("role"), str(claims["sub"])
        if role not in ROLES or not sub.isdigit():
            raise Unauthenticated("invalid token")
        user = User(
            tg_id=int(sub),
            name=str(claims.get("name", "")),
            office=str(claims.get("office", "")),
            role=role,
        )
        return user, int(claims["exp"])


def tokens_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Tokens:
    tokens: Tokens = connection.app.state.tokens
    return tokens


async def authenticate(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Router guard: every handler not marked public needs a valid bearer token (async,
    though it never waits: Litestar runs a synchronous guard in a worker thread)."""
    if handler.opt.get(PUBLIC):
        return
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("a bearer token is required")
    connection.scope["user"] = tokens_of(connection).read(token.strip())


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> User:
    user = connection.scope.get("user")
    if not isinstance(user, User):
        raise Unauthenticated("a bearer token is required")
    return user


CurrentUser = NamedDependency[User]
"""A handler parameter ``user: CurrentUser`` receives the authenticated caller."""
