"""Reminders before a cutoff: only to employees who started the bot, ordered recently and
have no order for the day, and never twice for the same employee and date."""

from __future__ import annotations

import datetime as dt

from psycopg_pool import ConnectionPool

from commands.messages import ComboInput, DishInput
from commands.service import LunchService
from commands.store import EventStore
from domain.order import OrderRequest
from notifier.messenger import Messenger
from notifier.read_side import ReadSide
from notifier.reminders import Reminders
from notifier.store import NotifierStore
from projections.reads.queries import Queries
from tests.fakes.telegram import FakeTelegram
from tests.integration.read_side import deliver

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def office(store: EventStore) -> None:
    """Cutoff 10:20 UTC daily. 2001 ordered yesterday, not today; 2002 ordered both days;
    2003 never ordered; 2004 ordered yesterday but turned reminders off."""
    clock = [NOW - dt.timedelta(days=1)]
    service = LunchService(store, now=lambda: clock[0])
    cafe = service.register_cafe("Pushkin", "UTC", "RUB", actor="1001").value
    menu = service.set_menu(
        cafe.id, [DishInput(name="Soup", category="soup", price=100)], [], actor="1001"
    ).value
    combo = service.set_combos(
        cafe.id, [ComboInput(name="C", price=100, categories=["soup"])], actor="1001"
    ).value.combos[0]
    service.set_schedule(cafe.id, list(range(7)), "10:20", actor="1001")
    for tg_id in (2001, 2002, 2003, 2004):
        service.upsert_employee(tg_id, name=f"E{tg_id}", office="HQ", actor="1001")

    def order(tg_id: int, date: dt.date) -> None:
        request = OrderRequest(
            cafe_id=cafe.id, date=date, combo_id=combo.id, dishes={"soup": menu.dishes[0].id}
        )
        service.place_order(tg_id, request, actor=str(tg_id))

    for tg_id in (2001, 2002, 2004):
        order(tg_id, TODAY - dt.timedelta(days=1))
    clock[0] = NOW
    order(2002, TODAY)


async def test_reminders_go_once_to_who_has_not_ordered(
    store: EventStore, pool: ConnectionPool
) -> None:
    """Thirty minutes before the cutoff only 2001 is reminded; a second pass sends nothing."""
    office(store)
    deliver(pool, store.read(0, 10_000))
    notifier_store = NotifierStore(pool)
    notifier_store.setup()
    for tg_id in (2001, 2002, 2003):
        notifier_store.subscribe(tg_id, tg_id, reminders=True)
    notifier_store.subscribe(2004, 2004, reminders=False)
    async with FakeTelegram() as fake:
        messenger = Messenger(fake.token, fake.base)
        reminders = Reminders(
            notifier_store,
            ReadSide(Queries(pool)),
            messenger,
            minutes=30,
            miniapp_url="https://lunch.example/app",
            now=lambda: NOW,
        )
        try:
            assert await reminders.once() == 1
            assert await reminders.once() == 0
        finally:
            await messenger.close()
        assert [c for c in fake.chats if fake.chats[c]] == [2001]
        (text,) = fake.texts(2001)
        assert "closes at 10:20" in text
        assert fake.chats[2001][0]["reply_markup"]["inline_keyboard"][0][0]["web_app"] == {
            "url": "https://lunch.example/app"
        }


async def test_no_reminder_outside_the_window(store: EventStore, pool: ConnectionPool) -> None:
    """An hour before the cutoff (window 30 minutes) nobody is reminded yet."""
    office(store)
    deliver(pool, store.read(0, 10_000))
    notifier_store = NotifierStore(pool)
    notifier_store.setup()
    notifier_store.subscribe(2001, 2001, reminders=True)
    async with FakeTelegram() as fake:
        messenger = Messenger(fake.token, fake.base)
        early = NOW - dt.timedelta(minutes=40)
        reminders = Reminders(
            notifier_store,
            ReadSide(Queries(pool)),
            messenger,
            minutes=30,
            miniapp_url="",
            now=lambda: early,
        )
        try:
            assert await reminders.once() == 0
        finally:
            await messenger.close()
