"""The Mini App's own checks run with the Python suite: vitest, and the bundle budget."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

MINIAPP = Path(__file__).resolve().parents[3] / "miniapp"
KB = 1024


def npm(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("npm") is None:
        pytest.fail("npm is missing: the Mini App needs Node 20+")
    return subprocess.run(
        ["npm", *args], cwd=MINIAPP, capture_output=True, text=True, timeout=110, check=False
    )


def test_vitest_passes() -> None:
    """Price rules, plural forms and deadline countdowns (in three phone time zones) hold."""
    done = npm("test", "--silent")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_the_built_bundle_is_within_budget() -> None:
    """The employee path loads ≤ 30 KB gzipped of own JS + CSS, everything ≤ 60 KB."""
    if not (MINIAPP / "dist" / ".vite" / "manifest.json").is_file():
        pytest.fail("the Mini App is not built: run `make setup`")
    done = npm("run", "--silent", "budget", "--", "--json")
    sizes = json.loads(done.stdout.strip().splitlines()[-1])
    assert sizes["employee_gzip"] <= 30 * KB, done.stdout
    assert sizes["total_gzip"] <= 60 * KB, done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
