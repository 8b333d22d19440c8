"""x"""
from tests.e2e.miniapp.conftest import OpenApp, screenshot

def test_smoke(open_app: OpenApp) -> None:
    """x"""
    page = open_app(2001)
    page.get_by_test_id("cafe").first.wait_for()
    screenshot(page, "smoke")
    print(page.evaluate("window.__tg.names()"))
