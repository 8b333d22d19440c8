"""What `lunch run` prints on stdout once it is up: the URL, then how to get in."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rich.console import Console
from rich.text import Text

UP_PREFIX = "Lunch is up: "


def banner_lines(url: str, env: Mapping[str, str], data_dir: Path, *, demo: bool) -> list[str]:
    """The first line is the contract's ``Lunch is up: URL``; the rest helps a newcomer."""
    dev_login = env.get("LUNCH_DEV_LOGIN", "") in ("1", "true", "yes", "on")
    lines = [f"{UP_PREFIX}{url}", ""]
    if demo:
        lines += [
            "  Demo office HQ:  manager 1001 · auditor 3001 · employees 2001–2010",
        ]
    if dev_login:
        lines += [
            f"  Log in:          open {url} and pick a user (development login), or",
            f"                   curl -s {url}/api/auth/dev -d '{{\"tg_id\": 2001}}'",
        ]
    else:
        lines += ["  Log in:          through Telegram (LUNCH_DEV_LOGIN is off)"]
    lines += [
        f"  API:             {url}/schema   health: {url}/health   metrics: {url}/metrics",
        f"  Data:            {data_dir} (kept across restarts; tokens too)",
        "  Stop:            Ctrl-C",
        "",
    ]
    return lines


def print_banner(lines: list[str], *, console: Console | None = None) -> None:
    """Plain lines when stdout is not a terminal, the URL highlighted when it is."""
    out = console or Console(highlight=False, soft_wrap=True)
    first, *rest = lines
    out.print(Text(first, style="bold green"))
    for line in rest:
        out.print(Text(line, style="dim" if line.lstrip().startswith("curl") else ""))
