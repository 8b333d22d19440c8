"""The `lunch` command line parses as the contract documents it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ops.cli import parser
from ops.components import COMPONENTS, SERVE


def test_run_defaults() -> None:
    """`lunch run` listens on 8000, keeps data in .lunch and seeds the demo."""
    args = parser().parse_args(["run"])
    assert (args.port, args.data_dir, args.no_demo) == (8000, Path(".lunch"), False)


def test_run_options() -> None:
    """--port, --data-dir and --no-demo are honoured."""
    args = parser().parse_args(["run", "--port", "8765", "--data-dir", "/tmp/x", "--no-demo"])
    assert (args.port, args.data_dir, args.no_demo) == (8765, Path("/tmp/x"), True)


def test_audit_report_options() -> None:
    """`lunch audit report` takes the cafe, date, moment and format."""
    argv = [
        "audit",
        "report",
        "--cafe",
        "c1",
        "--date",
        "2026-01-05",
        "--as-of",
        "T",
        "--format",
        "csv",
    ]
    args = parser().parse_args(argv)
    assert (args.cafe, args.date, args.as_of, args.format) == ("c1", "2026-01-05", "T", "csv")


def test_unknown_component_is_refused() -> None:
    """Only the six components can be served."""
    with pytest.raises(SystemExit):
        parser().parse_args(["serve", "scheduler"])


def test_every_component_has_its_serve_function() -> None:
    """Each component `lunch serve` accepts is bound to the function that runs it."""
    assert set(SERVE) == set(COMPONENTS)
    assert all(SERVE[name].__name__ == f"serve_{name}" for name in COMPONENTS)
