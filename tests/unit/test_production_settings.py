"""Production refuses to start with a missing or weak JWT secret, or with dev login on."""

from __future__ import annotations

import pytest

from commands.settings import Settings

STRONG = "kq3N9v0R2xW8pZ1tYb7Lm4Hc6Df5Gj0Sa2Qe8Uw1"


def production(**env: str) -> Settings:
    return Settings.from_env({"LUNCH_ENV": "production", **env})


def test_missing_secret_is_refused() -> None:
    """LUNCH_ENV=production without JWT_SECRET stops with a message naming the variable."""
    with pytest.raises(SystemExit, match="JWT_SECRET"):
        production().check()


WEAK = ["secret", "change-me", "a" * 64, "ab" * 20]


@pytest.mark.parametrize("secret", WEAK)
def test_weak_secret_is_refused(secret: str) -> None:
    """A short or repetitive JWT_SECRET is refused in production."""
    with pytest.raises(SystemExit, match="too weak"):
        production(JWT_SECRET=secret).check()


def test_dev_login_is_refused() -> None:
    """LUNCH_DEV_LOGIN=1 is refused in production even with a strong secret."""
    with pytest.raises(SystemExit, match="LUNCH_DEV_LOGIN"):
        production(JWT_SECRET=STRONG, LUNCH_DEV_LOGIN="1").check()


def test_strong_secret_passes() -> None:
    """A long random secret with dev login off is accepted."""
    production(JWT_SECRET=STRONG).check()


def test_development_accepts_no_secret() -> None:
    """Development may run without JWT_SECRET (`lunch run` supplies a persisted one)."""
    Settings.from_env({"LUNCH_ENV": "development"}).check()
