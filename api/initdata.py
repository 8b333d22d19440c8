"""Checking a Mini App's ``initData`` exactly as Telegram specifies.

secret = HMAC-SHA256(key=b"WebAppData", msg=bot_token); the data-check-string is every
received field except ``hash``, sorted by key, ``key=value`` joined by newlines; the hash is
the hex HMAC-SHA256 of that string under the secret, compared in constant time.
``auth_date`` must be recent and not in the future.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Annotated
from urllib.parse import parse_qsl

import msgspec

from api.errors import Unauthenticated

MAX_INIT_DATA = 4096
# Phones' clocks drift; a signature a few seconds "from the future" is still genuine.
CLOCK_SKEW = dt.timedelta(seconds=60)


class TelegramUser(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[int, msgspec.Meta(gt=0, lt=2**53)]
    first_name: str = ""
    last_name: str = ""
    username: str = ""

    @property
    def name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.username or str(self.id)


class InitData(msgspec.Struct, frozen=True, kw_only=True):
    user: TelegramUser
    auth_date: dt.datetime


_user_decoder = msgspec.json.Decoder(TelegramUser)


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")


def sign(fields: dict[str, str], bot_token: str) -> str:
    """The hex hash Telegram puts in ``hash`` for these fields."""
    message = data_check_string(fields).encode()
    return hmac.new(secret_key(bot_token), message, hashlib.sha256).hexdigest()


def _fields(init_data: str) -> dict[str, str]:
    if not init_data or len(init_data) > MAX_INIT_DATA:
        raise Unauthenticated("initData is empty or too long")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as e:
        raise Unauthenticated("initData is not a query string") from e
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise Unauthenticated("initData repeats a field")
    return fields


def verify_init_data(
    init_data: str, bot_token: str, *, now: dt.datetime, max_age: dt.timedelta
) -> InitData:
    """The signed user and moment of ``init_data``; Unauthenticated if anything is off."""
    if not bot_token:
        raise Unauthenticated("Telegram login is not configured (no bot token)")
    fields = _fields(init_data)
    received = fields.get("hash", "")
    if not hmac.compare_digest(sign(fields, bot_token).encode(), received.encode()):
        raise Unauthenticated("initData signature does not match")
    try:
        auth_date = dt.datetime.fromtimestamp(int(fields.get("auth_date", "")), dt.UTC)
    except (ValueError, OverflowError, OSError) as e:
        raise Unauthenticated("initData has no valid auth_date") from e
    if auth_date > now + CLOCK_SKEW:
        raise Unauthenticated("initData auth_date is in the future")
    if now - auth_date > max_age:
        raise Unauthenticated("initData is too old; reopen the Mini App")
    try:
        user = _user_decoder.decode(fields.get("user", ""))
    except msgspec.DecodeError as e:
        raise Unauthenticated("initData has no valid user") from e
    return InitData(user=user, auth_date=auth_date)
