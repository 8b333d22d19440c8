"""Each environment variable of the contract lands in its concern's struct."""

from __future__ import annotations

import msgspec

from commands.settings import Settings

ENVIRON = {
    "DATABASE_URL": "postgresql://db/lunch",
    "REDIS_URL": "redis://cache/1",
    "KAFKA_BOOTSTRAP_SERVERS": "broker:9092",
    "KAFKA_TOPIC_PREFIX": "office",
    "KAFKA_PARTITIONS": "8",
    "KAFKA_IDEMPOTENCE": "0",
    "TELEGRAM_BOT_TOKEN": "123:abc",
    "TELEGRAM_API_BASE": "http://telegram.local",
    "MINIAPP_URL": "https://lunch.example.org/app",
    "GEMINI_API_KEYS": "k1, k2",
    "GEMINI_BASE_URL": "http://gemini.local",
    "GEMINI_MODEL": "gemini-x",
    "GEMINI_REQUESTS_PER_KEY": "10",
    "JWT_SECRET": "s" * 40,
    "LUNCH_ENV": "staging",
    "LUNCH_DEV_LOGIN": "yes",
    "LUNCH_MANAGERS": "1, 2",
    "LUNCH_HTTP_HOST": "0.0.0.0",
    "LUNCH_HTTP_PORT": "9000",
    "LUNCH_HTTP_WORKERS": "3",
    "LUNCH_TIMEZONE": "Asia/Tokyo",
    "LUNCH_CLOCK_GRACE_SECONDS": "5",
    "LUNCH_REMINDER_MINUTES": "15",
    "NOTIFIER_METRICS_PORT": "9100",
    "RECOMMENDER_AT": "04:30",
    "RECOMMENDER_METRICS_PORT": "9200",
}


def test_every_variable_reaches_its_concern() -> None:
    """Every documented variable is read into the concern that owns it."""
    s = Settings.from_env(ENVIRON)
    assert s.env == "staging"
    assert s.database.url == "postgresql://db/lunch"
    assert s.redis.url == "redis://cache/1"
    assert (s.kafka.bootstrap_servers, s.kafka.topic_prefix) == ("broker:9092", "office")
    assert (s.kafka.partitions, s.kafka.idempotence) == (8, False)
    assert s.kafka.events_topic == "office.events"
    assert s.telegram.bot_token == "123:abc"
    assert s.telegram.api_base == "http://telegram.local"
    assert s.telegram.miniapp_url == "https://lunch.example.org/app"
    assert s.gemini.api_keys == ("k1", "k2")
    assert (s.gemini.base_url, s.gemini.model) == ("http://gemini.local", "gemini-x")
    assert s.gemini.requests_per_key == 10
    assert (s.auth.jwt_secret, s.auth.dev_login, s.auth.managers) == ("s" * 40, True, (1, 2))
    assert (s.http.host, s.http.port, s.http.workers) == ("0.0.0.0", 9000, 3)
    assert (s.clock.timezone, s.clock.grace_seconds) == ("Asia/Tokyo", 5)
    assert (s.notifier.reminder_minutes, s.notifier.metrics_port) == (15, 9100)
    assert (s.recommender.at, s.recommender.metrics_port) == ("04:30", 9200)


def test_unset_variables_keep_the_defaults() -> None:
    """An empty environment gives the defaults, the same as constructing Settings()."""
    assert Settings.from_env({}) == Settings()
    assert Settings.from_env({"KAFKA_TOPIC_PREFIX": ""}).kafka.events_topic == "lunch.events"


def test_settings_survive_the_worker_handover() -> None:
    """The nested settings round-trip through JSON, as the api hands them to its workers."""
    s = Settings.from_env(ENVIRON)
    assert msgspec.json.decode(msgspec.json.encode(s), type=Settings) == s
