"""PostgreSQL from the pgserver wheel, on a free TCP port of 127.0.0.1, data under a directory.

pgserver's own launcher listens on a Unix socket only; its binaries are run here directly
so every client (psycopg, eventsourcing, psql) can use a plain TCP URL.
"""

from __future__ import annotations

import os
import pwd
import subprocess
import warnings
from pathlib import Path

import psycopg

from ops.processes import ServerFailed, free_port, wait_until

PG_SYSTEM_USER = "pgserver"  # PostgreSQL refuses to run as root; pgserver uses this account
# Every api worker, the projector, relay, notifier and clock keep pools open; initdb's default
# of 100 leaves no room beside them for a psql session or a load test's own connections.
MAX_CONNECTIONS = 300


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
        options += f" -c max_connections={MAX_CONNECTIONS}"
        log = self.pgdata / "server.log"
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.pgdata), "-l", str(log),
                  "-o", options)  # fmt: skip
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        wait_until(self._accepts, "PostgreSQL")
        return self.url

    def stop(self) -> None:
        if self.url:
            self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.pgdata))
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
