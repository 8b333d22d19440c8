"""The Bot API client: sends and edits within Telegram's limits (``notifier.limits``).

Limits: about 30 messages a second overall and 20 a minute per group. A 429 waits the
``retry_after`` Telegram asks for; 5xx answers and network errors back off exponentially,
a bounded number of times (tenacity), then surface as SendFailed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from aiogram import Bot, methods
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods.base import Response
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from notifier import telegram as tg
from notifier.limits import Limits
from notifier.updates import ALLOWED_UPDATES, markup, translate

T = TypeVar("T")
ErrorHook = Callable[[str], None]

# aiogram validates every answer as ``Response[<the method's return type>]``, and pydantic
# keeps parametrised models only in a weak cache: once the garbage collector frees one, the
# next call builds it again (about 12 ms of schema building for a message). Held here, each
# is built once.
_ANSWER_TYPES = tuple(
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        methods.SendMessage,
        methods.EditMessageText,
        methods.AnswerCallbackQuery,
        methods.GetUpdates,
        methods.DeleteWebhook,
        methods.SetWebhook,
    )
)


def _wait(state: RetryCallState, base: float, cap: float) -> float:
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, TelegramRetryAfter):
        return float(error.retry_after)
    return float(min(cap, base * 2 ** (state.attempt_number - 1)))


def _code(error: TelegramAPIError) -> str:
    if isinstance(error, TelegramRetryAfter):
        return "429"
    if isinstance(error, TelegramServerError):
        return "5xx"
    if isinstance(error, TelegramNetworkError):
        return "network"
    if isinstance(error, TelegramForbiddenError):
        return "403"
    return "400"


class Messenger:
    def __init__(
        self,
        token: str,
        api_base: str,
        *,
        limits: Limits | None = None,
        attempts: int = 6,
        backoff: tuple[float, float] = (0.5, 8.0),
        on_error: ErrorHook | None = None,
    ) -> None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_base))
        self.bot = Bot(token, session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
        self.limits = limits or Limits()
        self.attempts = attempts
        self.backoff = backoff
        self.on_error = on_error or (lambda code: None)

    async def close(self) -> None:
        await self.bot.session.close()

    async def _call(self, chat_id: int | None, call: Callable[[], Any]) -> Any:
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(
                (TelegramRetryAfter, TelegramServerError, TelegramNetworkError)
            ),
            wait=lambda s: _wait(s, *self.backoff),
            stop=stop_after_attempt(self.attempts),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    try:
                        if chat_id is None:
                            return await call()
                        async with self.limits.slot(chat_id):
                            return await call()
                    except TelegramAPIError as error:
                        self.on_error(_code(error))
                        raise
        except TelegramMigrateToChat as error:
            raise tg.ChatMigrated(error.migrate_to_chat_id) from error
        except TelegramForbiddenError as error:
            raise tg.ChatGone(error.message, 403) from error
        except TelegramAPIError as error:
            raise tg.SendFailed(f"{type(error).__name__}: {error.message}") from error
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover

    async def send(self, chat_id: int, text: str, buttons: Sequence[tg.Button] = ()) -> int:
        """Send one HTML message; its message id."""
        reply_markup = markup(buttons)
        message = await self._call(
            chat_id, lambda: self.bot.send_message(chat_id, text, reply_markup=reply_markup)
        )
        return int(message.message_id)

    async def edit(
        self, chat_id: int, message_id: int, text: str, buttons: Sequence[tg.Button] = ()
    ) -> None:
        reply_markup = markup(buttons)
        await self._call(
            chat_id,
            lambda: self.bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=message_id, reply_markup=reply_markup
            ),
        )

    async def answer(self, callback_id: str, text: str) -> None:
        await self._call(None, lambda: self.bot.answer_callback_query(callback_id, text=text))

    async def updates(self, offset: int | None, poll_seconds: int = 25) -> list[tg.Update]:
        """Long-poll getUpdates; messages and button presses in our own terms."""
        raw = await self._call(
            None,
            lambda: self.bot.get_updates(
                offset=offset,
                timeout=poll_seconds,
                allowed_updates=ALLOWED_UPDATES,
                request_timeout=poll_seconds + 10,
            ),
        )
        return [u for u in (translate(r) for r in raw) if u is not None]

    async def forget_webhook(self) -> None:
        """Long polling and a webhook exclude each other."""
        await self._call(None, self.bot.delete_webhook)

    async def set_webhook(self, url: str, secret: str) -> None:
        """Ask Telegram to POST updates to ``url`` with ``secret`` in the
        X-Telegram-Bot-Api-Secret-Token header."""
        await self._call(
            None,
            lambda: self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES),
        )
