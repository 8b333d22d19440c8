"""Relay → Kafka → notifier → fake Bot API: the link flow, the deadline dispatch exactly
once (under 429s, a 500 and redelivery), acknowledgement and resend."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import REGISTRY, generate_latest
from psycopg_pool import ConnectionPool

from commands.service import LunchService
from commands.store.postgres import PostgresEventStore
from domain.ids import link_request_id
from notifier.runner import run_notifier
from projections.reads.queries import Queries
from tests.fakes.telegram import FakeTelegram
from tests.integration.kafka_side import eventually
from tests.integration.notifier.office import (
    CHAT,
    MANAGER,
    PEOPLE,
    Office,
    build_office,
    running,
    settings_for,
    stack,
)

pytestmark = pytest.mark.timeout(240)


def dispatches_in(fake: FakeTelegram, chat: int) -> list[str]:
    return [t for t in fake.texts(chat) if "orders for" in t]


def notifier_position(pool: ConnectionPool, group_suffix: str = ".notifier") -> int:
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT max(notification_id) FROM consumer_offsets WHERE group_id LIKE %s",
            [f"%{group_suffix}"],
        ).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


async def test_link_dispatch_acknowledge_exactly_once(
    store: PostgresEventStore, pool: ConnectionPool, stack_env: dict[str, str]
) -> None:
    """/start → a pending request → approval → test message; closure → one dispatch with
    every person and dish despite a 429 and a 500, counted in the scraped metrics;
    redelivery sends nothing more; the button records the acknowledgement and edits the
    message."""
    service = LunchService(store)
    queries = Queries(pool)
    async with FakeTelegram() as fake:
        settings = settings_for(
            stack_env, TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE=fake.base
        )
        async with running(*stack(settings, store), run_notifier(settings)):
            office = await asyncio.to_thread(build_office, service, link=False)
            fake.command(CHAT, "/start", user_id=555, title="Pushkin kitchen")
            await eventually(
                lambda: any(r.chat_id == CHAT for r in queries.link_requests("pending")),
                "the link request to be listed",
            )
            assert "awaits" in fake.texts(CHAT)[0] or "approve" in fake.texts(CHAT)[0]
            await asyncio.to_thread(
                service.approve_link, link_request_id(CHAT), office.cafe_id, actor=MANAGER
            )
            await eventually(lambda: len(fake.texts(CHAT)) == 2, "the test message")
            assert "now linked to <b>Pushkin &lt;Café&gt;</b>" in fake.texts(CHAT)[1]

            fake.fail("sendMessage", "429", chat_id=CHAT, value=1)
            fake.fail("sendMessage", "500", chat_id=CHAT)
            closure = await asyncio.to_thread(office.close)
            await eventually(lambda: dispatches_in(fake, CHAT) != [], "the dispatch")
            await eventually(
                lambda: [d.status for d in queries.dispatches(office.cafe_id)] == ["sent"],
                "the dispatch to be recorded as sent",
            )
            await eventually(lambda: notifier_position(pool) >= closure, "the notifier's position")
            # What LUNCH_METRICS_PORT serves (the process registry) counts it all.
            scraped = generate_latest(REGISTRY).decode()
        assert 'lunch_dispatches_total{status="sent"} 1.0' in scraped
        assert 'lunch_telegram_errors_total{code="429"} 1.0' in scraped
        assert 'lunch_telegram_errors_total{code="5xx"} 1.0' in scraped
        assert "lunch_dispatch_latency_seconds_count 1.0" in scraped
        (text,) = dispatches_in(fake, CHAT)
        for name, office_name in PEOPLE.values():
            escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            assert f"<b>{escaped}</b> ({office_name.replace('&', '&amp;')})" in text
        assert "soup: Borscht × 3" in text
        assert "main: Cutlet &amp; mash × 3" in text
        assert "Bread × 6" in text
        assert "no onions, &lt;please&gt;" in text

        # Redelivery: forget the notifier's positions and read the whole topic again.
        with pool.connection() as conn:
            conn.execute("DELETE FROM consumer_offsets WHERE group_id LIKE '%.notifier'")
        async with running(*stack(settings, store), run_notifier(settings)):
            await eventually(lambda: notifier_position(pool) >= closure, "the re-read")
            assert len(dispatches_in(fake, CHAT)) == 1

            message = fake.chats[CHAT][-1]
            data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            fake.press(CHAT, message["message_id"], data, user_id=556, name="Cook Olga")
            await eventually(
                lambda: (
                    "✓ received by Cook Olga at"
                    in fake.message(CHAT, message["message_id"])["text"]
                ),
                "the message to show the acknowledgement",
            )
            await eventually(
                lambda: [d.status for d in queries.dispatches(office.cafe_id)] == ["acknowledged"],
                "the dispatch log to show it acknowledged",
            )
        assert fake.called("answerCallbackQuery")


async def test_unlinked_or_kicked_fails_visibly_and_a_manager_resend_delivers(
    store: PostgresEventStore, pool: ConnectionPool, stack_env: dict[str, str]
) -> None:
    """An unlinked cafe's closure records "no linked chat"; once linked, a resend into a
    chat that kicked the bot records the 403's reason; the next resend is delivered."""
    service = LunchService(store)
    queries = Queries(pool)

    def statuses(office: Office) -> list[tuple[str, str | None]]:
        return [(d.status, d.error) for d in queries.dispatches(office.cafe_id)]

    async with FakeTelegram() as fake:
        settings = settings_for(
            stack_env, TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE=fake.base
        )
        async with running(*stack(settings, store), run_notifier(settings)):
            office = await asyncio.to_thread(build_office, service, link=False)
            await asyncio.to_thread(office.close)
            await eventually(
                lambda: statuses(office) == [("failed", "no linked chat")], "the failure"
            )
            await asyncio.to_thread(service.request_link, CHAT, "Pushkin kitchen", 555)
            await asyncio.to_thread(
                service.approve_link, link_request_id(CHAT), office.cafe_id, actor=MANAGER
            )
            await eventually(lambda: len(fake.texts(CHAT)) == 1, "the test message")

            fake.fail("sendMessage", "403", chat_id=CHAT)
            await asyncio.to_thread(office.resend)
            await eventually(
                lambda: [s for s, _ in statuses(office)] == ["failed", "failed"],
                "the second failure",
            )
            error = statuses(office)[0][1]
            assert error is not None
            assert "kicked" in error

            await asyncio.to_thread(office.resend)
            await eventually(lambda: statuses(office)[0] == ("sent", None), "the delivery")
        assert len(dispatches_in(fake, CHAT)) == 1


async def test_without_a_token_dispatches_are_logged(
    store: PostgresEventStore, pool: ConnectionPool, stack_env: dict[str, str]
) -> None:
    """No TELEGRAM_BOT_TOKEN: the closure's dispatch is rendered and recorded as logged."""
    service = LunchService(store)
    queries = Queries(pool)
    settings = settings_for(stack_env)
    async with running(*stack(settings, store), run_notifier(settings)):
        office = await asyncio.to_thread(build_office, service)
        await asyncio.to_thread(office.close)
        await eventually(
            lambda: [d.status for d in queries.dispatches(office.cafe_id)] == ["logged"],
            "the dispatch to be logged",
        )
    (logged,) = queries.dispatches(office.cafe_id)
    assert "Cutlet &amp; mash × 3" in logged.text
