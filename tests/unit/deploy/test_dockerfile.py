"""ops/Dockerfile: Node builds the Mini App, uv installs the lock, a slim non-root runtime."""

from __future__ import annotations

import re

from tests.unit.deploy.files import ROOT

DOCKERFILE = (ROOT / "ops" / "Dockerfile").read_text("utf-8")


def instructions(keyword: str) -> list[str]:
    joined = DOCKERFILE.replace("\\\n", " ")
    return [m.group(1).strip() for m in re.finditer(rf"^{keyword}\s+(.*)$", joined, re.MULTILINE)]


def test_multi_stage_with_node_python_and_runtime() -> None:
    """Separate stages build the Mini App and the venv; the last stage only copies them."""
    stages = [line.split()[-1] for line in instructions("FROM") if " AS " in line]
    assert {"miniapp", "python", "runtime"} <= set(stages)
    assert stages[-1] == "runtime"
    runtime = DOCKERFILE.split("AS runtime", 1)[1]
    assert "COPY --from=python" in runtime
    assert "COPY --from=miniapp" in runtime
    assert "apt-get" not in runtime


def test_build_steps_are_the_make_targets_build_check_runs() -> None:
    """The image runs `make miniapp` and `make install-prod`, the targets ops/build-check runs."""
    runs = " ".join(instructions("RUN"))
    assert "make miniapp" in runs
    assert "make install-prod" in runs
    check = (ROOT / "ops" / "build-check").read_text("utf-8")
    assert "make --no-print-directory miniapp" in check
    assert "make --no-print-directory install-prod" in check
    assert "$(UV) sync --frozen --no-dev" in (ROOT / "Makefile").read_text("utf-8")


def test_runtime_is_non_root_and_serves_a_component() -> None:
    """The runtime runs as an unprivileged user with `lunch serve <component>` as entry."""
    users = instructions("USER")
    assert users[-1] not in ("root", "0")
    assert instructions("ENTRYPOINT")[-1] == '["lunch", "serve"]'
    assert instructions("CMD")[-1] == '["api"]'


def test_tests_and_local_data_stay_out_of_the_image() -> None:
    """.dockerignore keeps tests, the venv, local data and .env out of the build context."""
    ignored = (ROOT / ".dockerignore").read_text("utf-8").splitlines()
    for entry in (".venv", ".lunch", ".env", "tests", ".git", "miniapp/node_modules"):
        assert entry in ignored, entry
