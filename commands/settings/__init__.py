"""Process settings, read once from the environment by each composition root.

``Settings`` nests one typed struct per concern (``settings.kafka.bootstrap_servers``); a
component reads only the concerns it needs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import msgspec

from commands.settings.concerns import (
    AuditSettings,
    AuthSettings,
    ClockSettings,
    DatabaseSettings,
    GeminiSettings,
    HttpSettings,
    KafkaSettings,
    NotifierSettings,
    RecommenderSettings,
    RedisSettings,
    TelegramSettings,
)

__all__ = [
    "AuditSettings",
    "AuthSettings",
    "ClockSettings",
    "DatabaseSettings",
    "GeminiSettings",
    "HttpSettings",
    "KafkaSettings",
    "NotifierSettings",
    "RecommenderSettings",
    "RedisSettings",
    "Settings",
    "TelegramSettings",
    "weak_secret",
]


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    env: str = "development"  # LUNCH_ENV
    database: DatabaseSettings = DatabaseSettings()
    redis: RedisSettings = RedisSettings()
    kafka: KafkaSettings = KafkaSettings()
    telegram: TelegramSettings = TelegramSettings()
    gemini: GeminiSettings = GeminiSettings()
    auth: AuthSettings = AuthSettings()
    http: HttpSettings = HttpSettings()
    clock: ClockSettings = ClockSettings()
    notifier: NotifierSettings = NotifierSettings()
    recommender: RecommenderSettings = RecommenderSettings()
    audit: AuditSettings = AuditSettings()

    @property
    def production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        return cls(
            env=environ.get("LUNCH_ENV") or cls().env,
            database=DatabaseSettings.from_env(environ),
            redis=RedisSettings.from_env(environ),
            kafka=KafkaSettings.from_env(environ),
            telegram=TelegramSettings.from_env(environ),
            gemini=GeminiSettings.from_env(environ),
            auth=AuthSettings.from_env(environ),
            http=HttpSettings.from_env(environ),
            clock=ClockSettings.from_env(environ),
            notifier=NotifierSettings.from_env(environ),
            recommender=RecommenderSettings.from_env(environ),
            audit=AuditSettings.from_env(environ),
        )

    def check(self) -> None:
        """Refuse settings that must never run in production, or never run at all."""
        if self.telegram.webhook_url:
            check_webhook(self.telegram.webhook_url, self.telegram.webhook_secret, self.production)
        if self.production and self.auth.dev_login:
            raise SystemExit("LUNCH_DEV_LOGIN=1 is refused when LUNCH_ENV=production")
        if self.production and not self.auth.jwt_secret:
            raise SystemExit("JWT_SECRET is required when LUNCH_ENV=production")
        if self.production and weak_secret(self.auth.jwt_secret):
            raise SystemExit(
                f"JWT_SECRET is too weak for production: use at least {MIN_SECRET_LENGTH} random"
                " characters (openssl rand -base64 48)"
            )


# Telegram's rule for setWebhook's secret_token.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")


def check_webhook(url: str, secret: str, production: bool) -> None:
    """A webhook needs a secret that Telegram accepts; in production an HTTPS URL."""
    if not WEBHOOK_SECRET.fullmatch(secret):
        raise SystemExit(
            "TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET: 16-256 characters of A-Z, a-z,"
            " 0-9, _ and - (openssl rand -hex 32)"
        )
    if production and not url.startswith("https://"):
        raise SystemExit("TELEGRAM_WEBHOOK_URL must be https:// (Telegram posts to HTTPS only)")


# HS256 keys shorter than the hash (32 bytes) are guessable offline from any one token.
MIN_SECRET_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10


def weak_secret(secret: str) -> bool:
    """Too short, or too repetitive to have come from a random generator."""
    return len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < MIN_DISTINCT_CHARACTERS
