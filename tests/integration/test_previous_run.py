"""`lunch run` stops components an earlier, killed run left alive, and nothing else."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ops import runfile
from ops.devsecret import dev_jwt_secret
from ops.processes import process_running

SLEEP = "import time; time.sleep(60)"


@pytest.fixture
def spawned() -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        proc.kill()
        proc.wait()


def spawn(procs: list[subprocess.Popen[bytes]], *args: str) -> subprocess.Popen[bytes]:
    """A sleeping python whose command line reads like ``args`` (e.g. ops.cli serve api)."""
    proc = subprocess.Popen([sys.executable, "-c", SLEEP, *args], start_new_session=True)
    procs.append(proc)
    return proc


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_components_of_a_dead_run_are_stopped(
    tmp_path: Path, spawned: list[subprocess.Popen[bytes]]
) -> None:
    """Components listed in run.json whose run is gone are ended, and run.json removed."""
    component = spawn(spawned, "-m", "ops.cli", "serve", "api")
    (tmp_path / "run.json").write_text(
        f'{{"pid": {dead_pid()}, "children": {{"api": {component.pid}}}}}'
    )
    stopped = runfile.end_previous_run(tmp_path, timeout=5)
    assert stopped == [component.pid]
    component.wait(5)
    assert not (tmp_path / "run.json").exists()


def test_a_pid_that_is_not_a_component_is_left_alone(
    tmp_path: Path, spawned: list[subprocess.Popen[bytes]]
) -> None:
    """A recycled pid (some other program now) is never signalled."""
    stranger = spawn(spawned, "something-else")
    (tmp_path / "run.json").write_text(
        f'{{"pid": {dead_pid()}, "children": {{"api": {stranger.pid}}}}}'
    )
    assert runfile.end_previous_run(tmp_path, timeout=5) == []
    assert process_running(stranger.pid)


def test_a_live_run_on_the_same_data_dir_is_refused(
    tmp_path: Path, spawned: list[subprocess.Popen[bytes]]
) -> None:
    """While the owning `lunch run` is alive its components are not touched."""
    owner = spawn(spawned, "-m", "ops.cli", "run")
    component = spawn(spawned, "-m", "ops.cli", "serve", "api")
    (tmp_path / "run.json").write_text(
        f'{{"pid": {owner.pid}, "children": {{"api": {component.pid}}}}}'
    )
    with pytest.raises(runfile.RunInProgress):
        runfile.end_previous_run(tmp_path, timeout=5)
    assert process_running(component.pid)


def test_the_development_secret_is_created_once_and_private(tmp_path: Path) -> None:
    """The first call creates an owner-only file; later calls return the same secret."""
    first = dev_jwt_secret(tmp_path)
    assert len(first) >= 32
    assert dev_jwt_secret(tmp_path) == first
    assert (tmp_path / "jwt_secret").stat().st_mode & 0o777 == 0o600
