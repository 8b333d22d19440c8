"""Bearer tokens: HS256, at most 12 hours, carrying the Telegram id and the role."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest

from api.auth import Tokens, User
from api.errors import Unauthenticated

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
SECRET = "unit-test-secret-of-at-least-32-bytes"
ANNA = User(tg_id=2001, name="Анна", office="HQ", role="employee")


def tokens(now: dt.datetime = NOW, secret: str = SECRET) -> Tokens:
    return Tokens(secret, now=lambda: now)


def test_a_token_reads_back_as_its_user() -> None:
    """A token reads back as its user."""
    token = tokens().issue(ANNA)
    assert tokens().read(token) == ANNA
    claims = jwt.decode(
        token, SECRET, algorithms=["HS256"], options={"verify_exp": False, "verify_iat": False}
    )
    assert claims["sub"] == "2001"
    assert claims["role"] == "employee"
    assert claims["exp"] - claims["iat"] <= 12 * 3600


def test_a_token_expires_after_twelve_hours() -> None:
    """A token expires after twelve hours."""
    token = tokens().issue(ANNA)
    assert tokens(NOW + dt.timedelta(hours=11, minutes=59)).read(token) == ANNA
    with pytest.raises(Unauthenticated, match="expired"):
        tokens(NOW + dt.timedelta(hours=12)).read(token)


def test_a_longer_lifetime_is_capped_at_twelve_hours() -> None:
    """A longer lifetime is capped at twelve hours."""
    long = Tokens(SECRET, now=lambda: NOW, ttl=dt.timedelta(days=30))
    assert long.ttl == dt.timedelta(hours=12)


def test_another_secret_is_refused() -> None:
    """Another secret is refused."""
    token = tokens(secret="another-secret-of-at-least-32-bytes!").issue(ANNA)
    with pytest.raises(Unauthenticated):
        tokens().read(token)


def test_without_a_secret_each_process_draws_its_own() -> None:
    """Development without JWT_SECRET: tokens of one instance are foreign to another."""
    first, second = Tokens("", now=lambda: NOW), Tokens("", now=lambda: NOW)
    token = first.issue(ANNA)
    assert first.read(token) == ANNA
    with pytest.raises(Unauthenticated):
        second.read(token)


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "2001", "role": "admin"},
        {"sub": "anna", "role": "employee"},
        {"role": "employee"},
    ],
)
def test_tokens_with_bad_claims_are_refused(claims: dict[str, object]) -> None:
    """Tokens with bad claims are refused."""
    times = {"iat": int(NOW.timestamp()), "exp": int(NOW.timestamp()) + 60}
    token = jwt.encode({**claims, **times}, SECRET, algorithm="HS256")
    with pytest.raises(Unauthenticated):
        tokens().read(token)


def test_unsigned_tokens_are_refused() -> None:
    """Unsigned tokens are refused."""
    times = {"iat": int(NOW.timestamp()), "exp": int(NOW.timestamp()) + 60}
    token = jwt.encode({"sub": "1001", "role": "manager", **times}, "", algorithm="none")
    with pytest.raises(Unauthenticated):
        tokens().read(token)


def test_a_token_read_before_still_expires() -> None:
    """A token verified once is remembered, yet refused once its expiry has passed."""
    clock = [NOW]
    reader = Tokens(SECRET, now=lambda: clock[0])
    token = reader.issue(ANNA)
    assert reader.read(token) == ANNA
    clock[0] = NOW + dt.timedelta(hours=12)
    with pytest.raises(Unauthenticated, match="expired"):
        reader.read(token)
