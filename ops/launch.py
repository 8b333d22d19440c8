"""`lunch run`: the embedded stack plus every component, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

from ops import logs, runfile
from ops.banner import banner_lines, print_banner
from ops.components import COMPONENTS
from ops.devsecret import dev_jwt_secret
from ops.embedded import EmbeddedStack, ServerFailed
from ops.lifeline import SUPERVISOR_PID
from ops.stackenv import write_stack_env
from ops.supervisor import Supervisor

log = logging.getLogger("lunch.run")
POLL_SECONDS = 0.5
READY_WAIT_SECONDS = 60.0


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def child_env(base: Mapping[str, str], services: Mapping[str, str], port: int) -> dict[str, str]:
    env = {**base, **services}
    env.setdefault("LUNCH_ENV", "development")
    env.setdefault("LUNCH_DEV_LOGIN", "1")
    # One host, one consumer per group: more partitions would only cost the embedded
    # broker, whose work per fetch grows with the batches each partition holds.
    env.setdefault("KAFKA_PARTITIONS", "1")
    env.setdefault("LUNCH_LOG_FORMAT", logs.log_format(base, tty=sys.stderr.isatty()))
    env[SUPERVISOR_PID] = str(os.getpid())
    env["LUNCH_HTTP_HOST"] = "127.0.0.1"
    env["LUNCH_HTTP_PORT"] = str(port)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def prepare_store(env: Mapping[str, str], *, demo: bool) -> None:
    """Create the event store's tables before the components race to, and seed the demo."""
    from commands.settings import Settings
    from ops.components import make_service, open_store

    store = open_store(Settings.from_env(env))
    try:
        if not demo:
            return
        from ops.demo import seed_if_empty

        if seed_if_empty(make_service(store)):
            log.info("seeded the demo office")
    finally:
        store.close()


def run_stack(port: int, data_dir: Path, *, demo: bool) -> int:
    try:
        runfile.end_previous_run(data_dir)
    except runfile.RunInProgress as e:
        log.error("%s; stop it first or pass another --data-dir", e)
        return 1
    if not port_is_free(port):
        log.error("port %d on 127.0.0.1 is already in use", port)
        return 1
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        stop.set()

    # SIGHUP too: a closed terminal must not orphan the servers and components.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, request_stop)
    stack = EmbeddedStack(data_dir)
    try:
        services = stack.start()
    except ServerFailed as e:
        log.error("embedded stack failed to start: %s (logs under %s)", e, data_dir)
        return 1
    supervisor: Supervisor | None = None
    try:
        write_stack_env(data_dir, services)
        log.info("embedded services: %s", ", ".join(f"{k}={v}" for k, v in services.items()))
        env = child_env(os.environ, services, port)
        if not env.get("JWT_SECRET"):
            env["JWT_SECRET"] = dev_jwt_secret(data_dir)
        prepare_store(env, demo=demo)
        commands = {name: [sys.executable, "-m", "ops.cli", "serve", name] for name in COMPONENTS}
        supervisor = Supervisor(commands, env)
        supervisor.on_spawn = lambda pids: runfile.record(data_dir, pids)
        supervisor.start()
        url = f"http://127.0.0.1:{port}"
        banner = banner_lines(url, env, data_dir, demo=demo)
        return watch(supervisor, stack, url, stop, services["DATABASE_URL"], banner)
    finally:
        if supervisor is not None:
            supervisor.stop()
            runfile.forget(data_dir)
        stack.stop()
        log.info("stopped")


def read_models_current(database_url: str) -> bool:
    """True once every projection has reached the event store's head (seeded data visible)."""
    from psycopg_pool import ConnectionPool

    from commands.store.postgres import PostgresEventStore
    from projections.engine.status import projection_status

    store = PostgresEventStore(database_url, pool_size=1)
    try:
        with ConnectionPool(database_url, min_size=1, max_size=1) as pool:
            return all(lag.lag == 0 for lag in projection_status(pool, store.head()))
    except Exception:  # not ready yet is all this can tell
        return False
    finally:
        store.close()


def watch(
    supervisor: Supervisor,
    stack: EmbeddedStack,
    url: str,
    stop: threading.Event,
    database_url: str | None = None,
    banner: list[str] | None = None,
) -> int:
    """Keep components alive; announce the URL once it answers and the read models caught up.

    Announcing only when the projections have reached the store's head means the first
    screen already shows the seeded cafes; after READY_WAIT_SECONDS it announces anyway.
    """
    announced = warned = False
    healthy_since: float | None = None
    while not stop.wait(POLL_SECONDS):
        supervisor.tick()
        if not stack.alive():
            log.error("an embedded server stopped unexpectedly; shutting down")
            return 1
        if not announced and healthy(url):
            healthy_since = healthy_since or time.monotonic()
            waited = time.monotonic() - healthy_since
            if database_url is None or read_models_current(database_url):
                announced = True
            elif waited > READY_WAIT_SECONDS:
                log.warning("read models still catching up after %.0f s", waited)
                announced = True
            if announced:
                print_banner(banner or [f"Lunch is up: {url}"])
        if not announced and not warned and supervisor.is_gone("api"):
            log.warning("the api component is not available, so nothing answers on %s", url)
            warned = True
    return 0
