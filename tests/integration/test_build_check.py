"""ops/build-check runs the image's build steps outside Docker, and they succeed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(600)
def test_build_check_installs_the_locked_runtime_and_serves(tmp_path: Path) -> None:
    """The scratch venv gets `lunch` without dev tools, and every component's module imports."""
    scratch = tmp_path / "context"
    result = subprocess.run(
        [str(ROOT / "ops" / "build-check"), str(scratch)],
        capture_output=True,
        text=True,
        check=False,
        timeout=580,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.rstrip().endswith("== ok")
    assert (scratch / ".venv" / "bin" / "lunch").exists()
    assert not (scratch / "tests").exists()
    assert not (scratch / ".venv" / "bin" / "pytest").exists()
