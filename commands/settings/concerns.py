"""One typed struct per concern, each read from its own environment variables.

The variable names are the contract (CONTRACT.md); an unset or empty variable keeps the
struct's default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

import msgspec

Environ = Mapping[str, str]


def flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def ints(value: str | None) -> tuple[int, ...]:
    return tuple(int(v) for v in (value or "").replace(" ", "").split(",") if v)


def strs(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


class Concern(msgspec.Struct, frozen=True, kw_only=True):
    """A group of settings that one part of the system reads together."""


class DatabaseSettings(Concern, frozen=True, kw_only=True):
    url: str = "postgresql://postgres@127.0.0.1:5432/postgres"

    @classmethod
    def from_env(cls, environ: Environ) -> Self:
        return cls(url=environ.get("DATABASE_URL") or cls().url)


class RedisSettings(Concern, frozen=True, kw_only=True):
    url: str = "redis://127.0.0.1:6379/0"

    @classmethod
    def from_env(cls, environ: Environ) -> Self:
        return cls(url=environ.get("REDIS_URL") or cls().url)


class KafkaSettings(Concern, frozen=True, kw_only=True):
    bootstrap_servers: str = "127.0.0.1:9092"
    topic_prefix: str = "lunch"
    partitions: int = 4
    idempotence: bool = True

    @property
    def events_topic(self) -> str:
        return f"{self.topic_prefix}.events"

    @classmethod
    def from_env(cls, environ: Environ) -> Self:
        base, get = cls(), environ.get
        return cls(
            bootstrap_servers=get("KAFKA_BOOTSTRAP_SERVERS") or base.bootstrap_servers,
            topic_prefix=get("KAFKA_TOPIC_PREFIX") or base.topic_prefix,
            partitions=int(get("KAFKA_PARTITIONS") or base.partitions),
            idempotence=flag(get("KAFKA_IDEMPOTENCE"), base.idempotence),
        )


class TelegramSettings(Concern, frozen=True, kw_only=True):
    bot_token: str = ""
    api_base: str = "https://api.telegram.org"
    miniapp_url: str = ""
    # Webhook mode (unset URL: long polling). The secret comes back in each update's header.
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8081

    @classmethod
    def from_env(cls, environ: Environ) -> Self:
        base, get = cls(), environ.get
        return cls(
            bot_token=get("TELEGRAM_BOT_TOKEN") or "",
            api_base=get("TELEGRAM_API_BASE") or base.api_base,
            miniapp_url=get("MINIAPP_URL") or "",
            webhook_url=get("TELEGRAM_WEBHOOK_URL") or "",
            webhook_secret=get("TELEGRAM_WEBHOOK_SECRET") or "",
            webhook_host=get("TELEGRAM_WEBHOOK_HOST") or base.webhook_host,
            webhook_port=int(get("TELEGRAM_WEBHOOK_PORT") or base.webhook_port),
        )


class GeminiSettings(Concern, frozen=True, kw_only=True):
    api_keys: tuple[str, ...] = ()
    base_url: str = ""
    model: str = "gemini-2.5-flash"
    requests_per_key: int = 195

    @classmethod
    def from_env(cls, environ: Environ) -> Self:
        base, get = cls(), environ.get
        return cls(
            api_keys=strs(get("GEMINI_API_KEYS")),
            base_url=get("GEMINI_BASE_URL") or "",
            model=get("GEMINI_MODEL") or base.model,
            requests_per_key=int(get("GEMINI_REQUESTS_PER_KEY") or base.requests_per_key),
        )


class AuthSettings(Concern, frozen=True, kw_only=True):
    jwt_secret: str = ""
    dev_login: bool = False
    managers: tuple[int, ...] = ()

    @classmethod
    def from_env(cls, environ: Environ) -> Self:
        get = environ.get
        return cls(
            jwt_secret=get("JWT_SECRET") or "",
            dev_login=flag(get("LUNCH_DEV_LOGIN"), False),
            managers=ints(get("LUNCH_MANAGERS")),
        )


class HttpSettings(Concern, frozen=True, kw_only=True):
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 0  # api processes behind the port; 0: one per CPU

    @classmethod
    def from_env(cls, environ: Environ) -> Self:
        base, get = cls(), environ.get
        return cls(
            host=get("LUNCH_HTTP_HOST") or base.host,
            port=int(get("LUNCH_HTTP_PORT") or base.port),
            workers=int(get("LUNCH_HTTP_WORKERS") or base.workers),
        )


class ClockSettings(Concern, frozen=True, kw_only=True):
    """The office's wall clock and the deadline clock's tolerance for late ticks."""

    timezone: str = "Europe/Moscow"
    grace_seconds: int = 30

    @classmethod
    def from_env(cls, environ: Environ) -> Self:
        base, get = cls(), environ.get
        return cls(
            timezone=get("LUNCH_TIMEZONE") or base.timezone,
            grace_seconds=int(get("LUNCH_CLOCK_GRACE_SECONDS") or base.grace_seconds),
        )


class NotifierSettings(Concern, frozen=True, kw_only=True):
    reminder_minutes: int = 30
    metrics_port: int = 0

    @classmethod
    def from_env(cls, environ: Environ) -> Self:
        get = environ.get
        return cls(
            reminder_minutes=int(get("LUNCH_REMINDER_MINUTES") or cls().reminder_minutes),
            metrics_port=int(get("NOTIFIER_METRICS_PORT") or 0),
        )


class RecommenderSettings(Concern, frozen=True, kw_only=True):
    at: str = "03:00"
    metrics_port: int = 9464

    @classmethod
    def from_env(cls, environ: Environ) -> Self:
        base, get = cls(), environ.get
        return cls(
            at=get("RECOMMENDER_AT") or base.at,
            metrics_port=int(get("RECOMMENDER_METRICS_PORT") or base.metrics_port),
        )


class AuditSettings(Concern, frozen=True, kw_only=True):
    key: str = ""  # signs the audit's chain checkpoints (HMAC-SHA256) when set

    @classmethod
    def from_env(cls, environ: Environ) -> Self:
        return cls(key=environ.get("LUNCH_AUDIT_KEY") or "")
