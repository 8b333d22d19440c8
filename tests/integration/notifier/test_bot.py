"""The cafe bot's commands, from the fake Bot API through the real aiogram client."""

from __future__ import annotations

import datetime as dt

from psycopg_pool import ConnectionPool

from commands.service import LunchService
from commands.store import EventStore
from domain.ids import link_request_id
from notifier.adapters import WriteSide
from notifier.bot import AWAITING, REMINDERS_OFF, WELCOME, CafeBot
from notifier.messenger import Messenger
from notifier.read_side import ReadSide
from notifier.store import NotifierStore
from projections.reads.queries import Queries
from tests.fakes.telegram import FakeTelegram
from tests.integration.read_side import deliver

MINIAPP = "https://lunch.example/app"


class Driver:
    """Polls the fake like the bot's loop does, confirming what it handled."""

    def __init__(self, bot: CafeBot, messenger: Messenger) -> None:
        self.bot, self.messenger, self.offset = bot, messenger, 0

    async def __call__(self) -> None:
        for update in await self.messenger.updates(self.offset, poll_seconds=1):
            await self.bot.handle(update)
            self.offset = update.update_id + 1


async def test_start_stop_and_link_requests_and_migration(
    store: EventStore, pool: ConnectionPool
) -> None:
    """An employee's /start turns reminders on with a Mini App button, /stop_reminders turns
    them off; a stranger's /start asks for a link; a group migration moves the cafe's link."""
    service = LunchService(store)
    service.upsert_employee(2001, name="Ann", office="HQ", actor="1001")
    cafe = service.register_cafe("Pushkin", "UTC", "RUB", actor="1001").value
    service.request_link(-5, "Kitchen", 9)
    service.approve_link(link_request_id(-5), cafe.id, actor="1001")
    deliver(pool, store.read(0, 1000))
    notifier_store = NotifierStore(pool)
    notifier_store.setup()
    async with FakeTelegram() as fake:
        messenger = Messenger(fake.token, fake.base)
        bot = CafeBot(
            messenger,
            WriteSide(service),
            ReadSide(Queries(pool)),
            notifier_store,
            miniapp_url=MINIAPP,
            now=lambda: dt.datetime.now(dt.UTC),
        )
        drive = Driver(bot, messenger)
        try:
            fake.command(2001, "/start", user_id=2001, chat_type="private")
            await drive()
            assert fake.texts(2001) == [WELCOME]
            button = fake.chats[2001][0]["reply_markup"]["inline_keyboard"][0][0]
            assert button["web_app"] == {"url": MINIAPP}
            with pool.connection() as conn:
                on = conn.execute("SELECT reminders FROM notifier.subscribers").fetchone()
            assert on == (True,)

            fake.command(2001, "/stop_reminders", user_id=2001, chat_type="private")
            await drive()
            assert fake.texts(2001)[-1] == REMINDERS_OFF
            with pool.connection() as conn:
                off = conn.execute("SELECT reminders FROM notifier.subscribers").fetchone()
            assert off == (False,)

            fake.command(77, "/start", user_id=77, chat_type="private", name="Stranger")
            fake.command(-9, "/start@lunch_bot", user_id=2001, title="Cafe Nine")
            await drive()
            assert fake.texts(77) == [AWAITING]
            assert fake.texts(-9) == [AWAITING]
            for chat in (77, -9):
                events = store.load(link_request_id(chat))
                assert [type(e).__name__ for _, e in events] == ["LinkRequested"]

            fake.migrate(-5, -1005)
            await drive()
            assert service.cafe(cafe.id).chat_id == -1005
        finally:
            await messenger.close()
