"""Printing a benchmark's table and writing it as one section of docs/benchmarks.md.

Each benchmark owns one section, delimited by HTML comments, so benchmarks run apart still
leave one document; every section states the machine and moment it was measured on.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Written by `make bench` (every `tests/bench/bench_*.py`). Each section comes from one run
and states the machine it ran on: figures are only comparable with the baselines measured
beside them in the same run (the ratios), since the machine is shared.
"""
ORDER = ("B1", "B2", "B4", "B5", "B6", "B7")


def machine() -> str:
    """CPU count, load average and the moment, for the line under each section's title."""
    one, five, _ = os.getloadavg()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{os.cpu_count()} CPUs, load average {one:.1f} (1 min) / {five:.1f} (5 min), {when}"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


MISSED: list[str] = []
"""Goals missed so far in this process: a script that published any exits 1."""


def goal(met: bool, why_not: str = "") -> str:
    """A goal's verdict cell: a missed goal stays, with its reason."""
    if met:
        return "met"
    MISSED.append(why_not or "missed")
    return f"**missed**{': ' + why_not if why_not else ''}"


def publish(key: str, title: str, body: str, doc: Path = DOC) -> None:
    """Print the section and write it into ``doc`` in place of its earlier version."""
    section = (
        f"<!-- {key} -->\n## {key} {title}\n\n_{machine()}_\n\n{body.strip()}\n<!-- /{key} -->"
    )
    print(f"\n{section}\n")
    text = doc.read_text() if doc.exists() else HEADER
    pattern = re.compile(rf"<!-- {key} -->.*?<!-- /{key} -->", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = _insert(text, key, section)
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text)


def _insert(text: str, key: str, section: str) -> str:
    """Place a new section before the first later one, so the document keeps B1..B7 order."""
    later = ORDER[ORDER.index(key) + 1 :] if key in ORDER else ()
    for other in later:
        mark = f"<!-- {other} -->"
        if mark in text:
            return text.replace(mark, f"{section}\n\n{mark}", 1)
    return text.rstrip("\n") + f"\n\n{section}\n"
