"""Webhook mode against the fake Bot API: the notifier registers its endpoint with a secret,
handles an update POSTed with that secret, and refuses one without it."""

from __future__ import annotations

import pytest

from commands.store.postgres import PostgresEventStore
from domain import events as ev
from notifier.runner import run_notifier
from ops.processes import free_port
from tests.fakes.telegram import FakeTelegram
from tests.integration.kafka_side import eventually
from tests.integration.notifier.office import running, settings_for

pytestmark = pytest.mark.timeout(120)

SECRET = "s3cret-token_for-the-webhook-0123"
CAFE_CHAT = -2001
INTRUDER_CHAT = -2002


def link_requests(store: PostgresEventStore) -> list[int]:
    return [r.event.chat_id for r in store.read(0, 10_000) if isinstance(r.event, ev.LinkRequested)]


async def test_webhook_checks_the_secret_and_handles_updates(
    store: PostgresEventStore, stack_env: dict[str, str]
) -> None:
    """setWebhook carries the URL and the secret; a POST with a wrong or missing secret is
    refused with 401 and changes nothing; the same update with the secret is answered
    and recorded; the bot never long-polls."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    async with FakeTelegram() as fake:
        settings = settings_for(
            stack_env,
            TELEGRAM_BOT_TOKEN=fake.token,
            TELEGRAM_API_BASE=fake.base,
            TELEGRAM_WEBHOOK_URL=url,
            TELEGRAM_WEBHOOK_SECRET=SECRET,
            TELEGRAM_WEBHOOK_PORT=str(port),
        )
        async with running(run_notifier(settings)):
            await eventually(lambda: fake.webhook is not None, "setWebhook")
            assert fake.webhook == (url, SECRET)
            (call,) = fake.called("setWebhook")
            assert call.params["allowed_updates"] == ["message", "callback_query"]

            intruder = fake.typed(INTRUDER_CHAT, "/start", user_id=9, title="Not a cafe")
            assert await fake.post(intruder, secret="wrong-secret-wrong-secret") == 401
            assert await fake.post(intruder, secret="") == 401

            start = fake.typed(CAFE_CHAT, "/start", user_id=555, title="Pushkin kitchen")
            assert await fake.post(start) == 200
            # The endpoint answers once the update is handled.
            assert len(fake.texts(CAFE_CHAT)) == 1
            assert "approv" in fake.texts(CAFE_CHAT)[0]
        assert fake.texts(INTRUDER_CHAT) == []
        assert link_requests(store) == [CAFE_CHAT]
        assert fake.called("getUpdates") == []
        assert fake.called("deleteWebhook") == []
