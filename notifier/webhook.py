"""Webhook mode: Telegram POSTs each update to our HTTPS endpoint instead of the bot
long-polling ``getUpdates``.

aiogram's aiohttp request handler serves the endpoint and refuses (401) any POST whose
``X-Telegram-Bot-Api-Secret-Token`` header is not the secret given to ``setWebhook``; an
accepted update goes to the same handler as a polled one. The endpoint answers once the
update is handled, so an update that crashed the process is delivered again by Telegram.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiogram import Dispatcher
from aiogram.types import TelegramObject, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from notifier import telegram as tg
from notifier.messenger import Messenger
from notifier.updates import translate

log = logging.getLogger("lunch.notifier")

Receive = Callable[[tg.Update], Awaitable[None]]


class _Handler(SimpleRequestHandler):
    async def close(self) -> None:
        """The messenger owns the Bot API session and closes it itself."""


class Webhook:
    def __init__(
        self,
        messenger: Messenger,
        receive: Receive,
        *,
        url: str,
        secret: str,
        host: str,
        port: int,
    ) -> None:
        self.messenger = messenger
        self.receive = receive
        self.url = url
        self.secret = secret
        self.host = host
        self.port = port

    def app(self) -> web.Application:
        """The aiohttp application answering Telegram's POSTs at the URL's path."""
        dispatcher = Dispatcher()
        dispatcher.update.outer_middleware(self._update)
        app = web.Application()
        handler = _Handler(
            dispatcher, self.messenger.bot, handle_in_background=False, secret_token=self.secret
        )
        handler.register(app, path=urlsplit(self.url).path or "/")
        return app

    async def serve(self) -> None:
        """Listen, then tell Telegram where to send updates; serve until cancelled."""
        runner = web.AppRunner(self.app())
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            await self.messenger.set_webhook(self.url, self.secret)
            log.info("bot.webhook", extra={"url": self.url, "port": self.port})
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    async def _update(
        self,
        _handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        update: TelegramObject,
        _data: dict[str, Any],
    ) -> None:
        found = translate(update) if isinstance(update, Update) else None
        if found is not None:
            await self.receive(found)
