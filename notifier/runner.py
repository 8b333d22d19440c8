"""The ``lunch serve notifier`` process: the dispatch consumer, and with a bot token the
cafe bot (long polling, or the webhook when ``TELEGRAM_WEBHOOK_URL`` is set) and the
reminders. Without a token dispatches are rendered,
logged and recorded as ``logged``; nothing is sent."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from prometheus_client import REGISTRY, start_http_server
from psycopg_pool import ConnectionPool

from commands.executor import utc_now
from commands.settings import Settings
from domain import events as ev
from notifier.adapters import open_sides
from notifier.bot import CafeBot
from notifier.consumer import NotifierConsumer, group_id
from notifier.dispatcher import Dispatcher
from notifier.messenger import Messenger
from notifier.metrics import NotifierMetrics
from notifier.notices import Notices
from notifier.policy import Trigger
from notifier.read_side import SHEET_TYPES
from notifier.reminders import Reminders
from notifier.store import NotifierStore
from notifier.webhook import Webhook
from projections.engine.restart import keep_running

log = logging.getLogger("lunch.notifier")

WANTED = frozenset(
    str(cls.__struct_config__.tag)
    for cls in (ev.OrderingClosed, ev.DispatchResendRequested, ev.LinkApproved, ev.LinkRejected)
)


async def run_notifier(settings: Settings) -> None:
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(16))
    pool = ConnectionPool(settings.database.url, min_size=1, max_size=12, open=False)
    await asyncio.to_thread(pool.open, True)
    metrics = NotifierMetrics()
    exposed = expose(metrics)
    if settings.notifier.metrics_port:
        start_http_server(settings.notifier.metrics_port, registry=metrics.registry)
    messenger = None
    if settings.telegram.bot_token:
        messenger = Messenger(
            settings.telegram.bot_token,
            settings.telegram.api_base,
            on_error=metrics.bot_api_error,
        )
    try:
        store = NotifierStore(pool)
        await asyncio.to_thread(store.setup)
        write, read = await asyncio.to_thread(open_sides, settings.database.url, pool)
        dispatcher = Dispatcher(write, read, messenger, metrics, now=utc_now)
        # What is loaded by now (aiogram's and pydantic's models: some 200,000 objects)
        # lives as long as the process. Left to the collector, each full collection walks
        # it all, 150-200 ms with the event loop stopped, which a burst of dispatches
        # allocates enough to set off; frozen, it is never walked again.
        gc.collect()
        gc.freeze()
        notices = Notices(store, read, messenger, now=utc_now) if messenger else None

        async def handle(d: ev.Recorded, sheet_after: int | None) -> None:
            event = d.event
            if isinstance(event, ev.OrderingClosed | ev.DispatchResendRequested):
                trigger = (
                    Trigger.CLOSURE if isinstance(event, ev.OrderingClosed) else Trigger.RESEND
                )
                await dispatcher.dispatch(
                    event.cafe_id,
                    event.date,
                    trigger,
                    caused_at=event.at,
                    notification_id=d.notification_id,
                    sheet_after=sheet_after,
                )
            elif isinstance(event, ev.LinkApproved | ev.LinkRejected) and notices is not None:
                await notices.link_decided(event, d.notification_id)

        consumer = NotifierConsumer(
            pool,
            handle,
            WANTED,
            follows=SHEET_TYPES,
            bootstrap_servers=settings.kafka.bootstrap_servers,
            topic=settings.kafka.events_topic,
            group=group_id(settings.kafka.topic_prefix),
        )
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(consumer.run_forever())
            if messenger is not None:
                bot = CafeBot(
                    messenger,
                    write,
                    read,
                    store,
                    miniapp_url=settings.telegram.miniapp_url,
                    now=utc_now,
                )
                reminders = Reminders(
                    store,
                    read,
                    messenger,
                    minutes=settings.notifier.reminder_minutes,
                    miniapp_url=settings.telegram.miniapp_url,
                    now=utc_now,
                )
                tasks.create_task(
                    keep_running(listen(settings, bot), logger=log, event="bot.failed")
                )
                tasks.create_task(reminders.run())
            log.info("notifier.start", extra={"bot": messenger is not None})
    finally:
        if exposed:
            REGISTRY.unregister(metrics.registry)
        if messenger is not None:
            await messenger.close()
        await asyncio.to_thread(pool.close)


def listen(settings: Settings, bot: CafeBot) -> Callable[[], Awaitable[None]]:
    """How the bot hears from Telegram: the webhook when a URL is set, else long polling."""
    if not settings.telegram.webhook_url:
        return bot.poll
    return Webhook(
        bot.messenger,
        bot.receive,
        url=settings.telegram.webhook_url,
        secret=settings.telegram.webhook_secret,
        host=settings.telegram.webhook_host,
        port=settings.telegram.webhook_port,
    ).serve


def expose(metrics: NotifierMetrics) -> bool:
    """Add the notifier's metrics to the process registry (``LUNCH_METRICS_PORT``); False
    when another notifier in this process already did (tests)."""
    try:
        REGISTRY.register(metrics.registry)
    except ValueError:
        log.info("notifier.metrics_not_exposed")
        return False
    return True
