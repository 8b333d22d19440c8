"""The messenger (real aiogram client) against the fake Bot API server."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from notifier import telegram as tg
from notifier.limits import Limits
from notifier.messenger import Messenger
from tests.fakes.telegram import FakeTelegram

GROUP = -100


def messenger(fake: FakeTelegram, errors: Counter[str], **kwargs: object) -> Messenger:
    return Messenger(
        fake.token,
        fake.base,
        backoff=(0.01, 0.05),
        on_error=lambda code: errors.update([code]),
        **kwargs,  # type: ignore[arg-type]
    )


async def test_send_survives_429_and_500_and_arrives_once() -> None:
    """A 429 waits retry_after, a 500 backs off; the message is delivered exactly once."""
    errors: Counter[str] = Counter()
    async with FakeTelegram() as fake:
        fake.fail("sendMessage", "429", value=1)
        fake.fail("sendMessage", "500")
        m = messenger(fake, errors)
        try:
            started = time.monotonic()
            message_id = await m.send(
                GROUP, "<b>hi</b> &amp; bye", [tg.Button(text="ok", data="x")]
            )
            waited = time.monotonic() - started
        finally:
            await m.close()
        assert fake.texts(GROUP) == ["<b>hi</b> &amp; bye"]
        assert fake.chats[GROUP][0]["message_id"] == message_id
        assert fake.called("sendMessage")[-1].params["parse_mode"] == "HTML"
        assert waited >= 1.0
        assert errors == Counter({"429": 1, "5xx": 1})


async def test_kicked_bot_and_migrated_group_are_told_apart() -> None:
    """403 raises ChatGone with Telegram's reason; 400 with migrate_to_chat_id raises
    ChatMigrated carrying the new id."""
    errors: Counter[str] = Counter()
    async with FakeTelegram() as fake:
        m = messenger(fake, errors)
        try:
            fake.fail("sendMessage", "403")
            with pytest.raises(tg.ChatGone, match="kicked"):
                await m.send(GROUP, "x")
            fake.fail("sendMessage", "migrate", value=-100999)
            with pytest.raises(tg.ChatMigrated) as migrated:
                await m.send(GROUP, "x")
        finally:
            await m.close()
        assert migrated.value.new_chat_id == -100999
        assert fake.texts(GROUP) == []


async def test_server_errors_give_up_after_bounded_attempts() -> None:
    """Persistent 500s end in SendFailed after the configured number of attempts."""
    errors: Counter[str] = Counter()
    async with FakeTelegram() as fake:
        for _ in range(5):
            fake.fail("sendMessage", "500")
        m = messenger(fake, errors, attempts=3)
        try:
            with pytest.raises(tg.SendFailed, match="TelegramServerError"):
                await m.send(GROUP, "x")
        finally:
            await m.close()
        assert len(fake.called("sendMessage")) == 3


async def test_group_limit_spaces_sends_to_one_group() -> None:
    """With 2 messages a second allowed per group, the third and fourth wait their turn
    while a private chat goes straight through."""
    errors: Counter[str] = Counter()
    async with FakeTelegram() as fake:
        m = messenger(fake, errors, limits=Limits(per_second=100, per_group=2, group_period=1))
        try:
            started = time.monotonic()
            await m.send(42, "private")
            private = time.monotonic() - started
            for n in range(4):
                await m.send(GROUP, f"m{n}")
            elapsed = time.monotonic() - started
        finally:
            await m.close()
        assert private < 0.5
        assert elapsed >= 0.9
        assert fake.texts(GROUP) == ["m0", "m1", "m2", "m3"]


async def test_updates_come_back_as_commands_and_presses() -> None:
    """getUpdates turns into Incoming and Pressed, in order."""
    errors: Counter[str] = Counter()
    async with FakeTelegram() as fake:
        m = messenger(fake, errors)
        try:
            sent = await m.send(GROUP, "dispatch")
            fake.command(GROUP, "/start", user_id=5, name="Chef <Bob>", title="Cafe & Co")
            fake.press(GROUP, sent, "ack:x", user_id=6, name="Cook")
            updates = await m.updates(None, poll_seconds=1)
        finally:
            await m.close()
        first, second = updates
        assert isinstance(first, tg.Incoming)
        assert (first.chat_id, first.chat_title, first.text, first.user_name) == (
            GROUP,
            "Cafe & Co",
            "/start",
            "Chef <Bob>",
        )
        assert isinstance(second, tg.Pressed)
        assert (second.message_id, second.data, second.user_id) == (sent, "ack:x", 6)
