"""The ``lunch serve notifier`` process: the dispatch consumer, and with a bot token the
cafe bot (long polling, or the webhook when ``TELEGRAM_WEBHOOK_URL`` is set) and the
reminders. Without a token dispatches are rendered,
logged and recorded as ``logged``; nothing is sent."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable

from prometheus_client import REGISTRY, start_http_server
from psycopg_pool import ConnectionPool

from commands.executor import utc_now
from commands.settings import Settings
from domain import events as ev
from notifier.adapters import open_sides
from notifier.bot import CafeBot
from notifier.consumer import STOP_TIMEOUT_SECONDS, NotifierConsumer, group_id
from notifier.dispatcher import Dispatcher
from notifier.messenger import Messenger
from notifier.metrics import NotifierMetrics
from notifier.notices import Notices
from notifier.policy import Trigger
from notifier.read_side import SHEET_TYPES, read_pool
from notifier.reminders import Reminders
from notifier.shutdown import Shutdown, Threads, ended, until_signalled
from notifier.store import NotifierStore
from notifier.webhook import Webhook
from projections.engine.restart import keep_running

log = logging.getLogger("lunch.notifier")

THREADS = 16  # the loop's executor: blocking reads and writes
POOL_SIZE = 4
READ_POOL_SIZE = 10
WRITES_SECONDS = 2.0  # at most this long, stopping waits for attempts and outcomes under way

WANTED = frozenset(
    str(cls.__struct_config__.tag)
    for cls in (ev.OrderingClosed, ev.DispatchResendRequested, ev.LinkApproved, ev.LinkRejected)
)


async def serve_notifier(settings: Settings) -> None:
    """``lunch serve notifier``: run until SIGTERM or SIGINT, then stop and return."""
    await until_signalled(run_notifier(settings))


async def run_notifier(settings: Settings) -> None:
    """Run until cancelled; then close everything opened (``notifier.shutdown``)."""
    shutdown = Shutdown()
    threads = Threads(THREADS)
    asyncio.get_running_loop().set_default_executor(threads)
    shutdown.add("threads", threads.stop)
    reason = "ended"
    try:
        await _run(settings, shutdown, threads)
    except asyncio.CancelledError as cancelled:
        reason = str(cancelled.args[0]) if cancelled.args else "cancelled"
        raise
    except Exception as error:
        reason = repr(error)
        raise
    finally:
        await shutdown.close(reason)


async def _run(settings: Settings, shutdown: Shutdown, threads: Threads) -> None:
    url = settings.database.url
    # Transactions (the notifier's own rows, its Kafka positions), committed as each block
    # ends; the read models are read on a pool of their own (``read_pool``).
    pool = ConnectionPool(url, min_size=1, max_size=POOL_SIZE, open=False)
    shutdown.add_blocking("pool", pool.close)
    reads = read_pool(url, READ_POOL_SIZE)
    shutdown.add_blocking("read pool", reads.close)
    await asyncio.to_thread(pool.open, True)
    await asyncio.to_thread(reads.open, True)
    metrics = NotifierMetrics()
    if expose(metrics):
        shutdown.add("metrics registry", lambda: _unregister(metrics))
    if settings.notifier.metrics_port:
        server, _ = start_http_server(settings.notifier.metrics_port, registry=metrics.registry)
        shutdown.add_blocking("metrics socket", server.server_close)
        shutdown.add_blocking("metrics server", server.shutdown)
    messenger = None
    if settings.telegram.bot_token:
        messenger = Messenger(
            settings.telegram.bot_token,
            settings.telegram.api_base,
            on_error=metrics.bot_api_error,
        )
        shutdown.add("bot session", messenger.close)
    store = NotifierStore(pool)
    await asyncio.to_thread(store.setup)
    write, read = open_sides(url, reads)
    shutdown.add_blocking("event store", write.close)
    await asyncio.to_thread(write.setup)
    shutdown.add("calls", threads.idle)
    shutdown.add("writes", lambda: write.drained(WRITES_SECONDS), WRITES_SECONDS + 1)
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
            trigger = Trigger.CLOSURE if isinstance(event, ev.OrderingClosed) else Trigger.RESEND
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
    tasks = [asyncio.create_task(consumer.run_forever(), name="consumer")]
    if messenger is not None:
        bot = CafeBot(
            messenger, write, read, store, miniapp_url=settings.telegram.miniapp_url, now=utc_now
        )
        reminders = Reminders(
            store,
            read,
            messenger,
            minutes=settings.notifier.reminder_minutes,
            miniapp_url=settings.telegram.miniapp_url,
            now=utc_now,
        )
        bot_job = keep_running(listen(settings, bot), logger=log, event="bot.failed")
        tasks.append(asyncio.create_task(bot_job, name="bot"))
        tasks.append(asyncio.create_task(reminders.run(), name="reminders"))
    # The consumer stops its Kafka client within STOP_TIMEOUT_SECONDS.
    shutdown.add("tasks", lambda: ended(tasks), STOP_TIMEOUT_SECONDS + 1)
    log.info("notifier.start", extra={"bot": messenger is not None})
    await asyncio.gather(*tasks)


async def _unregister(metrics: NotifierMetrics) -> None:
    REGISTRY.unregister(metrics.registry)


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
