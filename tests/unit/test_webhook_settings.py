"""Webhook settings: a URL needs a secret Telegram accepts, and HTTPS in production."""

from __future__ import annotations

import pytest

from commands.settings import Settings

SECRET = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
STRONG_JWT = "kq3N9v0R2xW8pZ1tYb7Lm4Hc6Df5Gj0Sa2Qe8Uw1"


def settings(**env: str) -> Settings:
    return Settings.from_env(env)


def test_polling_needs_nothing() -> None:
    """Without TELEGRAM_WEBHOOK_URL nothing about the webhook is checked (long polling)."""
    s = settings()
    s.check()
    assert (s.telegram.webhook_url, s.telegram.webhook_port) == ("", 8081)


@pytest.mark.parametrize("secret", ["", "short", "has spaces in it, 12345678", "é" * 20])
def test_webhook_without_a_valid_secret_is_refused(secret: str) -> None:
    """A URL with a missing, short or ill-formed secret stops with a message naming both."""
    with pytest.raises(SystemExit, match="TELEGRAM_WEBHOOK_SECRET"):
        settings(
            TELEGRAM_WEBHOOK_URL="https://x.example/tg", TELEGRAM_WEBHOOK_SECRET=secret
        ).check()


def test_production_webhook_must_be_https() -> None:
    """In production an http:// webhook URL is refused; https:// with a secret passes."""
    env = {"LUNCH_ENV": "production", "JWT_SECRET": STRONG_JWT, "TELEGRAM_WEBHOOK_SECRET": SECRET}
    with pytest.raises(SystemExit, match="https"):
        settings(**env, TELEGRAM_WEBHOOK_URL="http://x.example/tg").check()
    ok = settings(**env, TELEGRAM_WEBHOOK_URL="https://x.example/tg", TELEGRAM_WEBHOOK_PORT="9443")
    ok.check()
    assert (ok.telegram.webhook_secret, ok.telegram.webhook_port) == (SECRET, 9443)
