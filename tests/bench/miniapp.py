"""B6: the employee's first screen of the Mini App: gzipped bytes and first render in Chromium.

Bytes: ``index.html`` and the scripts, module preloads and stylesheets it names (the lazy
manager and auditor chunks are not part of the first screen), each gzipped at level 6 as
a web server would. Render: first contentful paint of ``/`` served by `lunch run`, in
headless Chromium with Telegram's script answered locally (no network).
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

DIST = Path(__file__).resolve().parents[2] / "miniapp" / "dist"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUDGET_BYTES = 30 * 1024  # ARCHITECTURE.md: employee path ≤ 30 KB gz


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.paths.append(found["src"] or "")
        if tag == "link" and found.get("rel") in ("stylesheet", "modulepreload"):
            self.paths.append(found.get("href") or "")


def built() -> bool:
    return (DIST / "index.html").is_file()


def first_screen_bytes(dist: Path = DIST) -> tuple[int, int]:
    """(gzipped bytes, files) of index.html and the local assets it loads at once."""
    html = (dist / "index.html").read_text()
    parser = _Assets()
    parser.feed(html)
    files = [dist / "index.html"]
    files += [dist / p.lstrip("/") for p in parser.paths if not re.match(r"^[a-z]+://", p)]
    sizes = [len(gzip.compress(f.read_bytes(), compresslevel=6)) for f in files if f.is_file()]
    return sum(sizes), len(sizes)


def first_render_ms(url: str) -> float:
    """First contentful paint of ``url`` in headless Chromium, in milliseconds."""
    from playwright.sync_api import Route, sync_playwright

    def telegram_script(route: Route) -> None:
        route.fulfill(status=200, content_type="application/javascript", body="")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("https://telegram.org/**", telegram_script)
            page.goto(url, wait_until="load")
            page.wait_for_timeout(500)
            paint = page.evaluate(
                "() => { const e = performance.getEntriesByName('first-contentful-paint');"
                " return e.length ? e[0].startTime : -1 }"
            )
        finally:
            browser.close()
    return float(paint)
