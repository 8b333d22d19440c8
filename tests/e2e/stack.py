"""Runs `lunch run` as a person would, for end-to-end tests."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from ops.embedded import free_port

UP_PREFIX = "Lunch is up: "


class LunchRun:
    """`lunch run` in a child process, with its stdout lines collected as they come."""

    def __init__(self, data_dir: Path, *, demo: bool = True) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir.parent / f"{data_dir.name}-lunch-run.log"
        argv = [sys.executable, "-m", "ops.cli", "run", "--port", str(self.port)]
        argv += ["--data-dir", str(data_dir)] + ([] if demo else ["--no-demo"])
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=self._log, stdin=subprocess.DEVNULL, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_up(self, timeout: float = 90.0) -> str:
        """The line announcing the URL; raises if the process ends or time runs out."""
        try:
            while True:
                line = self.lines.get(timeout=timeout)
                if line.startswith(UP_PREFIX):
                    return line
        except queue.Empty:
            raise TimeoutError(f"lunch run not up; see {self.log_path}") from None

    def stop(self, timeout: float = 30.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
        finally:
            self._log.close()
