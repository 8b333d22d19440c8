"""An employee in Telegram: order a combo with extras, change it, cancel it, repeat, profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.miniapp.conftest import OpenApp
from tests.e2e.miniapp.office import first_choice, login, menu_of, open_cafes, plain, rub
from tests.e2e.stack import LunchRun


@pytest.fixture
def client(stack: LunchRun) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url, timeout=20) as c:
        yield c


def main_button(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate("window.__tg.mainButton()")
    state["text"] = plain(state["text"])
    return state


def wait_main_button(page: Page, starts: str) -> dict[str, Any]:
    page.wait_for_function(
        "(s) => window.__tg.mainButton().visible && window.__tg.mainButton().text"
        ".replace(/[\\u00a0\\u202f]/g, ' ').startsWith(s)",
        arg=starts,
    )
    return main_button(page)


def open_cafe_in_app(page: Page, cafe: dict[str, Any], date: dt.date) -> None:
    page.get_by_test_id("cafe").first.wait_for()
    if date != dt.date.fromisoformat(page.evaluate("sessionStorage.getItem('lunch.today')")):
        page.get_by_test_id("days").get_by_role("tab").nth(1).click()
    page.get_by_test_id("cafe").filter(has_text=cafe["name"]).click()
    page.get_by_test_id("combo").first.wait_for()


def choose(page: Page, menu: dict[str, Any], combo: dict[str, Any]) -> None:
    page.get_by_test_id("combo").filter(has_text=combo["name"]).click()
    for category, dish in first_choice(menu, combo).items():
        page.get_by_test_id(f"dish-{category}").filter(has_text=dish["name"]).click()


def calls(page: Page) -> list[str]:
    return list(page.evaluate("window.__tg.names()"))


def test_an_employee_orders_changes_and_cancels_a_combo_with_extras(
    open_app: OpenApp, client: httpx.Client
) -> None:
    """Combo + one dish per category + 2 extras → MainButton with the total → placed;
    changed to another combo; cancelled after Telegram's confirm popup — all on the server."""
    employee = login(client, 2003)
    date, cafes = open_cafes(client, employee)
    cafe = cafes[0]
    menu = menu_of(client, employee, cafe["id"], date)
    combo, other = menu["combos"][0], menu["combos"][-1]
    extra = next(e for e in menu["extras"] if e["available"])

    page = open_app(2003)
    open_cafe_in_app(page, cafe, date)
    assert "BackButton.show" in calls(page)
    assert wait_main_button(page, "Выберите")["active"] is False
    choose(page, menu, combo)
    plus = (
        page.get_by_test_id("extra").filter(has_text=extra["name"]).get_by_role("button", name="+")
    )
    plus.click()
    plus.click()
    total = combo["price"] + 2 * extra["price"]
    expect(page.get_by_test_id("total")).to_have_text(rub(total).replace(" ", "\u00a0"))
    button = wait_main_button(page, "Заказать")
    assert button == {"text": f"Заказать · {rub(total)}", "visible": True, "active": True}
    assert "HapticFeedback.selectionChanged" in calls(page)
    assert "enableClosingConfirmation" in calls(page)

    page.evaluate("window.__tg.clickMain()")
    expect(page.get_by_test_id("order-status")).to_have_text("оформлен")
    expect(page.get_by_text("Заказ оформлен")).to_be_visible()
    assert "HapticFeedback.notificationOccurred" in calls(page)
    mine = client.get("/api/orders/mine", headers=employee).json()
    placed = next(o for o in mine if o["status"] == "placed")
    assert (placed["cafe_id"], placed["total"]) == (cafe["id"], total)
    assert [(e["extra_id"], e["qty"]) for e in placed["extras"]] == [(extra["id"], 2)]

    wait_main_button(page, "Изменить")
    page.evaluate("window.__tg.clickMain()")
    page.get_by_test_id("combo").first.wait_for()
    choose(page, menu, other)
    changed_total = other["price"] + 2 * extra["price"]
    assert wait_main_button(page, "Сохранить")["text"] == f"Сохранить · {rub(changed_total)}"
    page.evaluate("window.__tg.clickMain()")
    expect(page.get_by_text("Заказ изменён")).to_be_visible()
    order = client.get(f"/api/orders/{placed['id']}", headers=employee).json()
    assert (order["combo_id"], order["total"]) == (other["id"], changed_total)

    page.get_by_test_id("cancel-order").click()
    expect(page.get_by_test_id("order-status")).to_have_text("отменён")
    confirm = next(c for c in page.evaluate("window.__tg.calls") if c["name"] == "showConfirm")
    assert cafe["name"] in confirm["args"][0]
    order = client.get(f"/api/orders/{placed['id']}", headers=employee).json()
    assert order["status"] == "cancelled"


def test_ordering_after_the_close_shows_the_closed_message(
    open_app: OpenApp, client: httpx.Client
) -> None:
    """The cafe closes while the order is being built: confirming shows why, in words."""
    employee, manager = login(client, 2004), login(client, 1001)
    date, cafes = open_cafes(client, employee)
    cafe = cafes[-1]
    menu = menu_of(client, employee, cafe["id"], date)
    page = open_app(2004)
    open_cafe_in_app(page, cafe, date)
    choose(page, menu, menu["combos"][0])
    wait_main_button(page, "Заказать")

    closed = client.post(
        f"/api/cafes/{cafe['id']}/close", json={"date": date.isoformat()}, headers=manager
    )
    assert closed.status_code == 200, closed.text
    page.evaluate("window.__tg.clickMain()")
    expect(page.get_by_role("alert")).to_contain_text("Приём заказов в это кафе закрыт")
    assert page.evaluate(
        "window.__tg.calls.some(c => c.name === 'HapticFeedback.notificationOccurred'"
        " && c.args[0] === 'error')"
    )
    assert client.get("/api/orders/mine", headers=employee).json() == []


def test_history_repeats_a_past_order_and_the_profile_counts_it(
    open_app: OpenApp, client: httpx.Client
) -> None:
    """A cancelled order in the history → Repeat → the same combo, one tap to place; the
    profile then shows one order and its amount against the limit."""
    employee = login(client, 2005)
    date, cafes = open_cafes(client, employee)
    cafe = cafes[0]
    menu = menu_of(client, employee, cafe["id"], date)
    combo = menu["combos"][0]
    body = {
        "cafe_id": cafe["id"],
        "date": date.isoformat(),
        "combo_id": combo["id"],
        "dishes": {c: d["id"] for c, d in first_choice(menu, combo).items()},
        "extras": [],
        "note": "",
    }
    order = client.post("/api/orders", json=body, headers=employee).json()
    assert client.delete(f"/api/orders/{order['id']}", headers=employee).status_code == 200

    page = open_app(2005, path="/#/history")
    row = page.get_by_test_id("history-order").first
    expect(row).to_contain_text(cafe["name"])
    expect(row).to_contain_text("отменён")
    row.get_by_test_id("repeat").click()
    assert wait_main_button(page, "Заказать")["text"] == f"Заказать · {rub(combo['price'])}"
    page.evaluate("window.__tg.clickMain()")
    expect(page.get_by_test_id("order-status")).to_have_text("оформлен")

    page.evaluate("location.hash = '#/profile'")
    expect(page.get_by_test_id("spend")).to_contain_text("1 заказ")
    expect(page.get_by_test_id("spend")).to_contain_text(rub(combo["price"]).split(" ₽")[0])


def test_recommendations_show_a_list_or_an_empty_state(
    open_app: OpenApp, client: httpx.Client
) -> None:
    """The home screen has a "for you" section: suggestions when the server has them."""
    employee = login(client, 2006)
    answer = client.get("/api/me/recommendations", headers=employee)
    page = open_app(2006)
    section = page.locator("#recommendations")
    expect(section).to_contain_text("Для вас")
    if answer.status_code == 200 and answer.json()["items"]:
        expect(section.get_by_test_id("recommendation").first).to_be_visible()
    else:
        expect(section).to_contain_text("Пока нет советов")


# How the Mini App names the tags in Russian (miniapp/src/i18n/ru.ts).
TAG_LABELS = {
    "vegetarian": "вегетарианское",
    "vegan": "веганское",
    "spicy": "острое",
    "nuts": "орехи",
    "gluten_free": "без глютена",
    "lactose_free": "без лактозы",
    "pork": "свинина",
    "fish": "рыба",
}


def tagged_choice(
    menus: list[tuple[dict[str, Any], dict[str, Any]]],
) -> tuple[dict[str, Any], dict[str, Any], str, list[str], list[str]]:
    """A cafe, a combo and a tag whose dishes show both with and without that tag."""
    for cafe, menu in menus:
        for combo in menu["combos"]:
            shown = [d for d in menu["dishes"] if d["category"] in combo["categories"]]
            for tag in sorted({t for d in shown for t in d["tags"]}):
                tagged = [d["name"] for d in shown if tag in d["tags"]]
                others = [d["name"] for d in shown if tag not in d["tags"]]
                if others:
                    return cafe, combo, tag, tagged, others
    raise AssertionError("no open demo cafe has tagged and untagged dishes in one combo")


def test_an_employee_sees_dish_badges_and_filters_by_a_tag(
    open_app: OpenApp, client: httpx.Client
) -> None:
    """The demo's tagged dishes show their badges; a tag filter keeps only dishes with it."""
    employee = login(client, 2002)
    date, cafes = open_cafes(client, employee)
    menus = [(c, menu_of(client, employee, c["id"], date)) for c in cafes]
    cafe, combo, tag, tagged, others = tagged_choice(menus)

    page = open_app(2002)
    open_cafe_in_app(page, cafe, date)
    page.get_by_test_id("combo").filter(has_text=combo["name"]).click()
    dishes = page.locator("[data-testid^='dish-']")
    badge = dishes.filter(has_text=tagged[0]).locator(f".tag-{tag}")
    expect(badge).to_have_text(TAG_LABELS[tag])
    expect(dishes.filter(has_text=others[0])).to_have_count(1)

    filter_chips = page.get_by_test_id("tag-filter")
    filter_chips.get_by_role("tab", name=TAG_LABELS[tag], exact=True).click()
    for name in tagged:
        expect(dishes.filter(has_text=name)).to_have_count(1)
    for name in others:
        expect(dishes.filter(has_text=name)).to_have_count(0)
