"""Telegram initData is checked exactly as Telegram specifies."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from urllib.parse import urlencode

import pytest

from api.errors import Unauthenticated
from api.initdata import verify_init_data

TOKEN = "123456:TEST-token"
NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(hours=24)
USER = {"id": 2001, "first_name": "Анна", "last_name": "Петрова", "username": "anna"}


def signed(
    token: str = TOKEN, auth_date: dt.datetime = NOW, user: dict[str, object] = USER
) -> dict[str, str]:
    """initData fields signed the way Telegram signs them (written out independently)."""
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(auth_date.timestamp())),
    }
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return fields


def verify(fields: dict[str, str], token: str = TOKEN, now: dt.datetime = NOW) -> object:
    return verify_init_data(urlencode(fields), token, now=now, max_age=DAY)


def test_valid_init_data_yields_the_user() -> None:
    """A correctly signed, fresh initData gives the Telegram user and the auth moment."""
    result = verify_init_data(urlencode(signed()), TOKEN, now=NOW, max_age=DAY)
    assert result.user.id == 2001
    assert result.user.name == "Анна Петрова"
    assert result.auth_date == NOW


def test_field_order_in_the_query_string_does_not_matter() -> None:
    """The data-check-string sorts the fields, so any order of the query string verifies."""
    fields = signed()
    reordered = dict(reversed(list(fields.items())))
    assert verify_init_data(urlencode(reordered), TOKEN, now=NOW, max_age=DAY).user.id == 2001


@pytest.mark.parametrize("field", ["user", "auth_date", "query_id"])
def test_tampered_field_is_refused(field: str) -> None:
    """Changing any signed field breaks the signature."""
    fields = signed()
    fields[field] = fields[field].replace("2001", "2002").replace("AAH", "BAH") + "0"
    with pytest.raises(Unauthenticated, match="signature"):
        verify(fields)


def test_added_field_is_refused() -> None:
    """A field the signature did not cover is refused as well."""
    fields = {**signed(), "role": "manager"}
    with pytest.raises(Unauthenticated, match="signature"):
        verify(fields)


def test_wrong_bot_token_is_refused() -> None:
    """initData signed for another bot does not verify."""
    with pytest.raises(Unauthenticated, match="signature"):
        verify(signed(token="999:OTHER"))


def test_missing_hash_is_refused() -> None:
    """Missing hash is refused."""
    fields = signed()
    del fields["hash"]
    with pytest.raises(Unauthenticated):
        verify(fields)


def test_stale_init_data_is_refused() -> None:
    """initData older than the allowed age (24 h) is refused even with a good signature."""
    with pytest.raises(Unauthenticated, match="too old"):
        verify(signed(auth_date=NOW - DAY - dt.timedelta(seconds=1)))


def test_init_data_just_inside_the_age_passes() -> None:
    """Init data just inside the age passes."""
    assert verify(signed(auth_date=NOW - DAY + dt.timedelta(seconds=1)))


def test_future_init_data_is_refused() -> None:
    """An auth_date in the future (beyond a minute of clock skew) is refused."""
    with pytest.raises(Unauthenticated, match="future"):
        verify(signed(auth_date=NOW + dt.timedelta(minutes=5)))


def test_no_bot_token_configured_refuses_every_login() -> None:
    """No bot token configured refuses every login."""
    with pytest.raises(Unauthenticated, match="not configured"):
        verify(signed(token=""), token="")


@pytest.mark.parametrize("raw", ["", "garbage", "user=1&user=2", "a" * 5000])
def test_malformed_init_data_is_refused(raw: str) -> None:
    """Malformed init data is refused."""
    with pytest.raises(Unauthenticated):
        verify_init_data(raw, TOKEN, now=NOW, max_age=DAY)


def test_signed_but_userless_init_data_is_refused() -> None:
    """A valid signature over data without a usable user still does not log anyone in."""
    fields = signed(user={"first_name": "no id"})
    with pytest.raises(Unauthenticated, match="user"):
        verify(fields)


def test_non_ascii_hash_is_refused_not_crashing() -> None:
    """Non ascii hash is refused not crashing."""
    fields = {**signed(), "hash": "ä" * 64}
    with pytest.raises(Unauthenticated):
        verify(fields)
