"""Ports, readiness polling and child-process housekeeping for the embedded servers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO


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


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def end_stale(pid_file: Path, binary: str) -> None:
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


def release(log: IO[bytes] | int) -> None:
    """The child has its own copy of the log file descriptor; close ours."""
    if not isinstance(log, int):
        log.close()


def remember(pid_file: Path | None, proc: subprocess.Popen[bytes]) -> None:
    if pid_file is not None:
        pid_file.write_text(str(proc.pid))
