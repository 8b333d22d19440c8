"""How tests find PostgreSQL, Redis and Kafka, and how each test gets its own slice of them.

Order of preference for each service: the address in the environment (DATABASE_URL,
REDIS_URL, KAFKA_BOOTSTRAP_SERVERS), then the usual local port, then an embedded server
started for the test session (ops.embedded).
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"
TEST_DB_PREFIX = "lunch_t_"
REDIS_CLAIM_KEY = "lunch:test-db-claim:{}"
REDIS_CLAIM_SECONDS = 600
REDIS_TEST_DBS = range(1, 16)


def postgres_reachable(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def redis_reachable(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{path}"))


def create_database(admin_url: str) -> str:
    """A new empty database; returns its URL."""
    name = f"{TEST_DB_PREFIX}{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_path(admin_url, name)


def drop_database(admin_url: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    assert name.startswith(TEST_DB_PREFIX), name
    with psycopg.connect(admin_url, autocommit=True) as conn:
        query = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(query.format(sql.Identifier(name)))


def claim_redis_db(server_url: str, timeout: float = 60.0) -> tuple[str, str]:
    """Claim a free numbered database (1-15) and flush it; returns (url, claim token).

    Claims live in database 0 with an expiry, so parallel test runs on one Redis never
    share a database and a crashed run's claims lapse by themselves.
    """
    token = uuid.uuid4().hex
    control = redis.Redis.from_url(with_path(server_url, "0"))
    deadline = time.monotonic() + timeout
    try:
        while True:
            for db in REDIS_TEST_DBS:
                key = REDIS_CLAIM_KEY.format(db)
                if control.set(key, token, nx=True, ex=REDIS_CLAIM_SECONDS):
                    url = with_path(server_url, str(db))
                    redis.Redis.from_url(url).flushdb()
                    return url, token
            if time.monotonic() > deadline:
                raise TimeoutError("every Redis test database stayed claimed")
            time.sleep(0.1)
    finally:
        control.close()


def release_redis_db(url: str, token: str) -> None:
    db = urlsplit(url).path.lstrip("/")
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    control = redis.Redis.from_url(with_path(url, "0"))
    key = REDIS_CLAIM_KEY.format(db)
    if control.get(key) == token.encode():
        control.delete(key)
    control.close()
