"""The figures each fault case ends with, one line a case, in a git-ignored file the run
writes (FAULT_FIGURES, default tests/faults/figures.txt) and prints at its end."""

from __future__ import annotations

import os
from pathlib import Path

FIGURES = Path(os.environ.get("FAULT_FIGURES") or Path(__file__).with_name("figures.txt"))
ORDER = ("accepted", "in_read_models", "on_sheet", "dispatched", "sent_twice", "refused")


def start_afresh() -> None:
    FIGURES.unlink(missing_ok=True)


def record(case: str, **figures: object) -> str:
    """Append ``case: name=value ...`` (the usual figures first) and print it."""
    names = [n for n in ORDER if n in figures] + sorted(set(figures) - set(ORDER))
    line = f"{case}: " + " ".join(f"{n}={figures[n]}" for n in names)
    with FIGURES.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    print(f"FIGURES {line}")
    return line
