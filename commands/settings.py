"""Process settings, read once from the environment by each composition root."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _ints(value: str | None) -> tuple[int, ...]:
    return tuple(int(v) for v in (value or "").replace(" ", "").split(",") if v)


def _strs(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    redis_url: str = "redis://127.0.0.1:6379/0"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_topic_prefix: str = "lunch"
    kafka_partitions: int = 4
    kafka_idempotence: bool = True
    telegram_bot_token: str = ""
    telegram_api_base: str = "https://api.telegram.org"
    miniapp_url: str = ""
    gemini_api_keys: tuple[str, ...] = ()
    gemini_base_url: str = ""
    gemini_model: str = "gemini-2.5-flash"
    gemini_requests_per_key: int = 195
    jwt_secret: str = ""
    env: str = "development"
    dev_login: bool = False
    managers: tuple[int, ...] = ()
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    timezone: str = "Europe/Moscow"
    clock_grace_seconds: int = 30
    reminder_minutes: int = 30
    notifier_metrics_port: int = 0
    http_workers: int = 0  # api processes behind the port; 0: one per CPU
    recommender_at: str = "03:00"
    recommender_metrics_port: int = 9464
    audit_key: str = ""  # signs the audit's chain checkpoints (HMAC-SHA256) when set

    @property
    def events_topic(self) -> str:
        return f"{self.kafka_topic_prefix}.events"

    @property
    def production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        base = cls()
        get = environ.get
        return cls(
            database_url=get("DATABASE_URL") or base.database_url,
            redis_url=get("REDIS_URL") or base.redis_url,
            kafka_bootstrap_servers=get("KAFKA_BOOTSTRAP_SERVERS") or base.kafka_bootstrap_servers,
            kafka_topic_prefix=get("KAFKA_TOPIC_PREFIX") or base.kafka_topic_prefix,
            kafka_partitions=int(get("KAFKA_PARTITIONS") or base.kafka_partitions),
            kafka_idempotence=_flag(get("KAFKA_IDEMPOTENCE"), base.kafka_idempotence),
            telegram_bot_token=get("TELEGRAM_BOT_TOKEN") or "",
            telegram_api_base=get("TELEGRAM_API_BASE") or base.telegram_api_base,
            miniapp_url=get("MINIAPP_URL") or "",
            gemini_api_keys=_strs(get("GEMINI_API_KEYS")),
            gemini_base_url=get("GEMINI_BASE_URL") or "",
            gemini_model=get("GEMINI_MODEL") or base.gemini_model,
            gemini_requests_per_key=int(
                get("GEMINI_REQUESTS_PER_KEY") or base.gemini_requests_per_key
            ),
            jwt_secret=get("JWT_SECRET") or "",
            env=get("LUNCH_ENV") or base.env,
            dev_login=_flag(get("LUNCH_DEV_LOGIN"), False),
            managers=_ints(get("LUNCH_MANAGERS")),
            http_host=get("LUNCH_HTTP_HOST") or base.http_host,
            http_port=int(get("LUNCH_HTTP_PORT") or base.http_port),
            timezone=get("LUNCH_TIMEZONE") or base.timezone,
            clock_grace_seconds=int(get("LUNCH_CLOCK_GRACE_SECONDS") or base.clock_grace_seconds),
            reminder_minutes=int(get("LUNCH_REMINDER_MINUTES") or base.reminder_minutes),
            notifier_metrics_port=int(get("NOTIFIER_METRICS_PORT") or 0),
            http_workers=int(get("LUNCH_HTTP_WORKERS") or base.http_workers),
            recommender_at=get("RECOMMENDER_AT") or base.recommender_at,
            recommender_metrics_port=int(
                get("RECOMMENDER_METRICS_PORT") or base.recommender_metrics_port
            ),
            audit_key=get("LUNCH_AUDIT_KEY") or "",
        )

    def check(self) -> None:
        """Refuse settings that must never run in production."""
        if self.production and self.dev_login:
            raise SystemExit("LUNCH_DEV_LOGIN=1 is refused when LUNCH_ENV=production")
        if self.production and not self.jwt_secret:
            raise SystemExit("JWT_SECRET is required when LUNCH_ENV=production")
        if self.production and weak_secret(self.jwt_secret):
            raise SystemExit(
                f"JWT_SECRET is too weak for production: use at least {MIN_SECRET_LENGTH} random"
                " characters (openssl rand -base64 48)"
            )


# HS256 keys shorter than the hash (32 bytes) are guessable offline from any one token.
MIN_SECRET_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10


def weak_secret(secret: str) -> bool:
    """Too short, or too repetitive to have come from a random generator."""
    return len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < MIN_DISTINCT_CHARACTERS
