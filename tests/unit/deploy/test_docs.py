"""The guides exist for every role, and every relative link in README and docs/ resolves."""

from __future__ import annotations

import re
from pathlib import Path

from tests.unit.deploy.files import ROOT

_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
GUIDES = (
    "docs/guides/employee.en.md",
    "docs/guides/employee.ru.md",
    "docs/guides/cafe.en.md",
    "docs/guides/cafe.ru.md",
    "docs/guides/manager.md",
    "docs/guides/auditor.md",
    "docs/operator-guide.md",
    "docs/architecture.md",
    "docs/troubleshooting.md",
)


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def test_every_guide_exists_and_the_readme_links_it() -> None:
    """Each role's guide is present and reachable from the README."""
    readme = (ROOT / "README.md").read_text("utf-8")
    for guide in GUIDES:
        assert (ROOT / guide).is_file(), guide
        assert f"({guide})" in readme, guide


def test_relative_links_resolve() -> None:
    """No link in README.md or docs/ points at a file that does not exist."""
    broken = []
    for page in markdown_files():
        for target in _LINK.findall(page.read_text("utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []
