"""Every `lunch` command finds the servers that `lunch run` started through stack.env."""

from __future__ import annotations

from pathlib import Path

from ops.stackenv import read_stack_env, with_stack_env, write_stack_env

SERVICES = {
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5555/postgres",
    "REDIS_URL": "redis://127.0.0.1:6666/0",
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:7777",
    "KAFKA_IDEMPOTENCE": "0",
}


def test_written_file_reads_back(tmp_path: Path) -> None:
    """stack.env round-trips its KEY=VALUE lines."""
    write_stack_env(tmp_path, SERVICES)
    assert read_stack_env(tmp_path) == SERVICES


def test_unset_addresses_come_from_the_file(tmp_path: Path) -> None:
    """With no service addresses in the environment, the file supplies them."""
    write_stack_env(tmp_path, SERVICES)
    merged = with_stack_env({"PATH": "/bin"}, tmp_path)
    assert merged == {"PATH": "/bin", **SERVICES}


def test_environment_wins_over_the_file(tmp_path: Path) -> None:
    """An address set in the environment is kept; only the missing ones are filled in."""
    write_stack_env(tmp_path, SERVICES)
    merged = with_stack_env({"DATABASE_URL": "postgresql://elsewhere/db"}, tmp_path)
    assert merged["DATABASE_URL"] == "postgresql://elsewhere/db"
    assert merged["REDIS_URL"] == SERVICES["REDIS_URL"]


def test_file_is_ignored_when_every_address_is_set(tmp_path: Path) -> None:
    """A fully configured environment never reads stack.env."""
    write_stack_env(tmp_path, SERVICES)
    environ = {"DATABASE_URL": "a", "REDIS_URL": "b", "KAFKA_BOOTSTRAP_SERVERS": "c"}
    assert with_stack_env(environ, tmp_path) == environ


def test_missing_file_changes_nothing(tmp_path: Path) -> None:
    """Without a stack.env the environment is used as it is."""
    assert with_stack_env({"PATH": "/bin"}, tmp_path / "absent") == {"PATH": "/bin"}
