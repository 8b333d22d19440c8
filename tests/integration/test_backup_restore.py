"""ops/backup.sh and ops/restore.sh: dump, restore into a fresh database, rebuild, same reports."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from commands.store import EventStore
from tests import services
from tests.integration.history import History, office_history
from tests.integration.read_side import dump

ROOT = Path(__file__).resolve().parents[2]
LUNCH = str(Path(sys.executable).with_name("lunch"))


def major(binary: str) -> int:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    assert found, out
    return int(found.group(1))


def server_major(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.info.server_version // 10000


@pytest.fixture
def tools(postgres_url: str) -> dict[str, str]:
    """pg_dump and pg_restore at least as new as the server, or the test is skipped."""
    names = {"PG_DUMP": "pg_dump", "PG_RESTORE": "pg_restore", "PSQL": "psql"}
    found = {key: os.environ.get(key) or shutil.which(name) or "" for key, name in names.items()}
    if not all(found.values()):
        pytest.skip("PostgreSQL client tools (pg_dump, pg_restore, psql) are not installed")
    if major(found["PG_DUMP"]) < server_major(postgres_url):
        pytest.skip("pg_dump is older than the server; set PG_DUMP/PG_RESTORE to newer ones")
    return found


@pytest.fixture
def fresh_url(postgres_url: str) -> Iterator[str]:
    url = services.create_database(postgres_url)
    yield url
    services.drop_database(postgres_url, url)


def script(name: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "ops" / name), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def rebuild(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([LUNCH, "projections", "rebuild"], env=env, check=True, capture_output=True)


def read_models(url: str) -> dict[str, object]:
    with ConnectionPool(url, min_size=1, max_size=1) as pool:
        return dump(pool)


def test_restore_into_a_fresh_database_gives_the_same_reports(
    database_url: str, fresh_url: str, store: EventStore, tools: dict[str, str], tmp_path: Path
) -> None:
    """Events dumped and restored elsewhere, then rebuilt, give read models equal to before."""
    events, _, _ = office_history(History())
    store.append(events)
    rebuild(database_url)
    before = read_models(database_url)
    assert any(rows for rows in before.values())
    backup = tmp_path / "lunch.dump"

    made = script("backup.sh", {**tools, "DATABASE_URL": database_url}, str(backup))
    assert made.returncode == 0, made.stderr
    listing = subprocess.run(
        [tools["PG_RESTORE"], "--list", str(backup)], capture_output=True, text=True, check=True
    ).stdout
    assert "stored_events" in listing
    assert " read " not in listing

    restored = script(
        "restore.sh", {**tools, "DATABASE_URL": fresh_url, "LUNCH": LUNCH}, str(backup)
    )
    assert restored.returncode == 0, restored.stderr

    assert read_models(fresh_url) == before


def test_restore_refuses_a_database_that_holds_events(
    database_url: str, store: EventStore, tools: dict[str, str], tmp_path: Path
) -> None:
    """Restoring over a live event store is refused and changes nothing."""
    events, _, _ = office_history(History())
    store.append(events)
    backup = tmp_path / "lunch.dump"
    assert script("backup.sh", {**tools, "DATABASE_URL": database_url}, str(backup)).returncode == 0

    again = script("restore.sh", {**tools, "DATABASE_URL": database_url}, str(backup))

    assert again.returncode == 1
    assert "refusing" in again.stderr
