"""``<data-dir>/run.json``: which `lunch run` owns the data dir, and its components' pids.

A run killed with SIGKILL cannot stop its components; the next run reads this file and stops
whatever is still alive before it starts its own. A pid is only signalled when its command
line shows it is one of ours, so a recycled pid is never touched.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import time
from collections.abc import Mapping
from pathlib import Path

from ops.processes import process_running

log = logging.getLogger("lunch.run")
FILE_NAME = "run.json"
COMPONENT_MARK = (b"ops.cli", b"serve")


class RunInProgress(RuntimeError):
    """Another live `lunch run` uses the same data dir."""


def run_file(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def record(data_dir: Path, children: Mapping[str, int]) -> None:
    """Write this run's pid and its children's, atomically."""
    path = run_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"pid": os.getpid(), "children": dict(children)}), "utf-8")
    tmp.replace(path)


def forget(data_dir: Path) -> None:
    run_file(data_dir).unlink(missing_ok=True)


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def is_component(pid: int) -> bool:
    line = cmdline(pid)
    return process_running(pid) and all(mark in line for mark in COMPONENT_MARK)


def is_run(pid: int) -> bool:
    line = cmdline(pid)
    ours = b"lunch" in line or b"ops.cli" in line
    return pid != os.getpid() and process_running(pid) and ours and b"run" in line.split(b"\0")


def end_previous_run(data_dir: Path, timeout: float = 10.0) -> list[int]:
    """Stop the components a dead earlier run left behind; returns the pids it stopped."""
    try:
        saved = json.loads(run_file(data_dir).read_text("utf-8"))
        owner = int(saved.get("pid", 0))
        pids = [int(pid) for pid in saved.get("children", {}).values()]
    except (OSError, ValueError, AttributeError, TypeError):
        return []
    if owner and is_run(owner):
        raise RunInProgress(f"`lunch run` (pid {owner}) is already using {data_dir}")
    stale = [pid for pid in pids if is_component(pid)]
    for pid in stale:
        signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while any(process_running(pid) for pid in stale) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in stale:
        if process_running(pid):
            signal_group(pid, signal.SIGKILL)
    if stale:
        log.warning("stopped %d components left running by an earlier run", len(stale))
    forget(data_dir)
    return stale


def signal_group(pid: int, signum: signal.Signals) -> None:
    """Each component leads its own session, so its group holds anything it started."""
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass
    except PermissionError:
        os.kill(pid, signum)
