"""A `lunch run` stack that verifies initData with the test bot token, and Debian Chromium."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize, expect, sync_playwright

from ops.embedded import free_port
from tests.e2e.miniapp.telegram import BOT_TOKEN, fake_script
from tests.e2e.stack import LunchRun

CHROMIUM = Path("/usr/bin/chromium")
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
DIST = Path(__file__).resolve().parents[3] / "miniapp" / "dist"
ARTIFACTS = Path(__file__).resolve().parents[3] / "miniapp" / "artifacts"
PHONE: ViewportSize = {"width": 390, "height": 844}

OpenApp = Callable[..., Page]

# Reads wait for the read models to catch up with the caller's own writes (up to 5 s on the
# server); on a loaded machine a screen can take that long, so assertions wait longer.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="package")
def stack() -> Iterator[LunchRun]:
    """The demo office under `lunch run`; Telegram's Bot API points at a closed local port.

    Its data lives outside pytest's temporary root: another pytest run on the machine
    resets that root to mode 0700, which locks out the embedded PostgreSQL's own account.
    """
    if not (DIST / "index.html").is_file():
        pytest.fail("the Mini App is not built: run `make setup`")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TELEGRAM_BOT_TOKEN", BOT_TOKEN)
        env.setenv("TELEGRAM_API_BASE", f"http://127.0.0.1:{free_port()}")
        env.delenv("LUNCH_DEV_LOGIN", raising=False)
        home = Path(tempfile.mkdtemp(prefix="lunch-miniapp-e2e-"))
        home.chmod(0o755)
        run = LunchRun(home / "data", demo=True)
    try:
        run.wait_up()
        yield run
    finally:
        run.stop()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `make setup` installs it with apt-get")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_app(browser: Browser, stack: LunchRun) -> Iterator[OpenApp]:
    """Opens the Mini App as a Telegram user would, in a fresh phone-sized context."""
    contexts = []

    def open_as(
        tg_id: int,
        *,
        lang: str = "ru",
        scheme: str = "light",
        confirm: bool = True,
        width: int = PHONE["width"],
        path: str = "/",
    ) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": PHONE["height"]},
            device_scale_factor=2,
            color_scheme="dark" if scheme == "dark" else "light",
            locale="en-GB" if lang == "en" else "ru-RU",
            accept_downloads=True,
        )
        contexts.append(context)
        script = fake_script(tg_id, lang=lang, scheme=scheme, confirm=confirm)

        def telegram(route: Route) -> None:
            route.fulfill(status=200, content_type="text/javascript", body=script)

        context.route("**/telegram-web-app.js*", telegram)
        page = context.new_page()
        page.goto(stack.url + path)
        return page

    yield open_as
    for context in contexts:
        context.close()


def screenshot(page: Page, name: str, *, bottom: bool = False) -> Path:
    """Keeps what the phone shows (the viewport) under miniapp/artifacts/ (not committed);
    ``bottom`` scrolls to the end of the screen first."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.evaluate(f"window.scrollTo(0, {'document.body.scrollHeight' if bottom else 0})")
    page.wait_for_timeout(100)
    page.screenshot(path=str(path))
    return path
