"""A manager and an auditor in Telegram: directory, menu, requests, reports, audit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from commands.executor import utc_now
from commands.service import LunchService
from commands.store.postgres import PostgresEventStore
from ops.stackenv import read_stack_env
from tests.e2e.miniapp.conftest import OpenApp
from tests.e2e.miniapp.office import login, open_cafes
from tests.e2e.stack import LunchRun


@pytest.fixture
def client(stack: LunchRun) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url, timeout=20) as c:
        yield c


def test_a_manager_uploads_employees_with_a_bad_line_and_edits_one(
    open_app: OpenApp, client: httpx.Client, tmp_path: Path
) -> None:
    """The good line is added, the bad one is listed with its line number; an edit saves."""
    manager = login(client, 1001)
    page = open_app(1001, path="/#/m")
    page.get_by_test_id("m-employees").click()
    page.get_by_test_id("employee").first.wait_for()
    roster = tmp_path / "roster.csv"
    roster.write_text("tg_id,name,office\n2901,Нина Новикова,HQ\nnot-a-number,Плохая строка,HQ\n")
    page.get_by_test_id("csv-upload").set_input_files(str(roster))
    result = page.get_by_test_id("import-result")
    expect(result).to_contain_text("Добавлено 1")
    expect(result.get_by_test_id("import-error")).to_contain_text("Строка 3")

    page.get_by_test_id("employee-search").fill("Нина")
    page.get_by_test_id("employee").filter(has_text="Нина Новикова").click()
    page.get_by_test_id("employee-office").fill("Annex")
    page.get_by_test_id("employee-limit").fill("5000")
    page.evaluate("window.__tg.clickMain()")
    page.get_by_test_id("employee-search").wait_for()
    nina = next(
        e for e in client.get("/api/employees", headers=manager).json() if e["tg_id"] == 2901
    )
    assert (nina["office"], nina["monthly_limit"]) == ("Annex", 500000)


def test_a_manager_edits_a_menu_and_puts_a_dish_on_the_stop_list(
    open_app: OpenApp, client: httpx.Client
) -> None:
    """A new price, a tag toggled and a dish out of stock reach the menu employees read."""
    manager = login(client, 1001)
    _, cafes = open_cafes(client, manager)
    cafe = cafes[0]
    before = client.get(f"/api/cafes/{cafe['id']}/menu", headers=manager).json()["dishes"][-1]
    page = open_app(1001, path=f"/#/m/cafes/{cafe['id']}")
    editor = page.get_by_test_id("dish-editor").last
    editor.get_by_test_id("dish-price").fill("321")
    editor.get_by_test_id("dish-available").uncheck()
    editor.get_by_test_id("dish-tag-nuts").click()
    page.evaluate("window.__tg.clickMain()")
    expect(page.get_by_text("Сохранено")).to_be_visible()
    menu = client.get(f"/api/cafes/{cafe['id']}/menu", headers=manager).json()
    edited = menu["dishes"][-1]
    assert (edited["price"], edited["available"]) == (32100, False)
    assert set(edited["tags"]) ^ set(before["tags"]) == {"nuts"}


def test_a_manager_approves_a_link_request_with_a_cafe_picker(
    open_app: OpenApp, client: httpx.Client, stack: LunchRun
) -> None:
    """A chat asked to be a cafe's (as the bot records a /start): approved for the cafe
    picked in the list, the request is approved and the cafe linked."""
    manager = login(client, 1001)
    store = PostgresEventStore(read_stack_env(stack.data_dir)["DATABASE_URL"])
    service = LunchService(store, now=utc_now, new_id=uuid.uuid4)
    service.request_link(-100_777_001, "Кухня Pho Hanoi", 555)
    cafe = next(c for c in client.get("/api/cafes", headers=manager).json() if not c["linked"])
    page = open_app(1001, path="/#/m/requests")
    card = page.get_by_test_id("link-request").filter(has_text="Кухня Pho Hanoi")
    card.wait_for()
    page.get_by_test_id("request-cafe").select_option(cafe["id"])
    page.get_by_test_id("approve").click()
    # The API answers once the requests' read model applied the decision (it waits up to
    # 5 s, and the list's reload waits again): slow on a loaded machine, never racy.
    expect(card).to_have_count(0, timeout=30_000)
    approved = client.get("/api/cafe-requests", params={"status": "approved"}, headers=manager)
    assert [(r["chat_id"], r["cafe_id"]) for r in approved.json()] == [(-100_777_001, cafe["id"])]


def test_a_manager_sees_requests_orders_and_downloads_a_report(
    open_app: OpenApp, client: httpx.Client
) -> None:
    """Requests and orders of the day load; the cafe-day report downloads as CSV; the period
    report draws its chart."""
    page = open_app(1001, path="/#/m/requests")
    expect(
        page.get_by_text("Заявок нет.").or_(page.get_by_test_id("link-request").first)
    ).to_be_visible()
    page.evaluate("location.hash = '#/m/orders'")
    expect(page.get_by_text("Заказы дня")).to_be_visible()
    page.evaluate("location.hash = '#/m/reports'")
    expect(page.get_by_test_id("cafe-day-report")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("download-csv").click()
    saved = download.value.path().read_text(encoding="utf-8-sig")
    assert saved.splitlines()[0].startswith("date,cafe,order_id,")
    assert download.value.suggested_filename.endswith(".csv")
    page.get_by_test_id("report-kind").get_by_role("tab").nth(1).click()
    expect(page.get_by_test_id("bar-chart")).to_be_visible()


def test_an_auditor_reads_an_order_story_or_is_told_audit_is_unavailable(
    open_app: OpenApp, client: httpx.Client
) -> None:
    """With the audit routes: the order's events, oldest first; without them: a clear notice."""
    auditor = login(client, 3001)
    schema = client.get("/schema/openapi.json").json()
    page = open_app(3001, path="/#/a")
    if not any(p.startswith("/api/audit/") for p in schema["paths"]):
        expect(page.get_by_test_id("audit-unavailable")).to_contain_text("недоступен")
        return
    employee = login(client, 2007)
    date, cafes = open_cafes(client, employee)
    menu = client.get(f"/api/cafes/{cafes[0]['id']}/menu", headers=auditor).json()
    combo = menu["combos"][0]
    dishes = {
        c: next(d["id"] for d in menu["dishes"] if d["category"] == c and d["available"])
        for c in combo["categories"]
    }
    body = {"cafe_id": cafes[0]["id"], "date": date.isoformat(), "combo_id": combo["id"]}
    order = client.post("/api/orders", json={**body, "dishes": dishes}, headers=employee).json()
    page.evaluate(f"location.hash = '#/a/{order['id']}'")
    expect(page.get_by_test_id("audit-event").first).to_contain_text("Placed")
