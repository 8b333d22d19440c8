"""Outside Telegram (the script fails to load): the dev login, and the page's own buttons."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, Route, expect

from tests.e2e.miniapp.conftest import PHONE, screenshot
from tests.e2e.miniapp.office import login, open_cafes
from tests.e2e.stack import LunchRun


def test_without_telegram_a_demo_user_signs_in_and_orders_with_the_page_buttons(
    browser: Browser, stack: LunchRun
) -> None:
    """telegram.org unreachable: the dev login lists demo users; the builder draws its own
    primary button and back link."""
    with httpx.Client(base_url=stack.url) as client:
        # Today's cutoff may have passed (late in the office's day): take an open date.
        date, cafes = open_cafes(client, login(client, 2001))
    context = browser.new_context(viewport=PHONE, locale="ru-RU")

    def unreachable(route: Route) -> None:
        route.abort("internetdisconnected")

    context.route("**/telegram-web-app.js*", unreachable)
    try:
        page = context.new_page()
        page.goto(stack.url + "/")
        page.get_by_test_id("demo-2001").click()
        page.get_by_test_id("cafe").first.wait_for()
        page.evaluate(f"location.hash = '#/cafe/{cafes[0]['id']}/{date.isoformat()}'")
        page.get_by_test_id("combo").first.click()
        expect(page.locator(".fallback-main .main-button")).to_contain_text("Выберите")
        expect(page.locator(".fallback-back")).to_be_visible()
        screenshot(page, "ru-light-outside-telegram")
        page.locator(".fallback-back").click()
        page.get_by_test_id("nav-history").wait_for()
    finally:
        context.close()
