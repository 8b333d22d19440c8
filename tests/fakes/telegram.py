"""A local fake of the Telegram Bot API (aiohttp), for the real aiogram client.

It speaks the wire protocol at ``/bot<token>/<method>``: records every call and every
message per chat, serves ``getUpdates`` from a queue (long polling), answers callback
queries and edits, and can be told to fail the next calls with 429 + ``retry_after``,
403, 400 + ``migrate_to_chat_id``, 500, or to answer slowly.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import ClientSession, web

from ops.processes import free_port
from tests.fakes.telegram_wire import Call, Fault, error_response, parse_params

BOT = {"id": 777000, "is_bot": True, "first_name": "Lunch", "username": "lunch_bot"}
SendHook = Callable[[int, dict[str, Any]], Awaitable[None]]


class FakeTelegram:
    def __init__(self, token: str = "123456:TEST-TOKEN") -> None:
        self.token = token
        self.port = free_port()
        self.calls: list[Call] = []
        self.chats: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.faults: list[Fault] = []
        self.on_send: SendHook | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._arrived = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.webhook: tuple[str, str] | None = None  # (url, secret) from setWebhook

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what tests do ---------------------------------------------------------------

    def fail(self, method: str, kind: str, *, chat_id: int | None = None, value: float = 0) -> None:
        """Make the next matching call fail (or be slow) once; queue several for more."""
        self.faults.append(Fault(method, kind, chat_id, value))

    def push(self, update: dict[str, Any]) -> None:
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._arrived.set()

    async def post(self, update: dict[str, Any], *, secret: str | None = None) -> int:
        """POST an update to the webhook as Telegram does (with the registered secret
        unless ``secret`` is given); the HTTP status."""
        assert self.webhook is not None, "no setWebhook yet"
        url, registered = self.webhook
        header = {"X-Telegram-Bot-Api-Secret-Token": registered if secret is None else secret}
        body = {"update_id": next(self._update_ids), **update}
        async with ClientSession() as session, session.post(url, json=body, headers=header) as r:
            return r.status

    def command(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int,
        name: str = "Ann",
        chat_type: str = "group",
        title: str = "Cafe chat",
    ) -> None:
        """Someone types ``text`` in a chat."""
        self.push(
            self.typed(chat_id, text, user_id=user_id, name=name, chat_type=chat_type, title=title)
        )

    def typed(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int,
        name: str = "Ann",
        chat_type: str = "group",
        title: str = "Cafe chat",
    ) -> dict[str, Any]:
        """The update for someone typing ``text`` in a chat."""
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        chat.update({"title": title} if chat_type != "private" else {"first_name": name})
        return {"message": self._incoming(chat, user_id, name, text=text)}

    def migrate(self, chat_id: int, new_chat_id: int, *, title: str = "Cafe chat") -> None:
        """The group became a supergroup (the service message in the old chat)."""
        chat = {"id": chat_id, "type": "group", "title": title}
        self.push({"message": self._incoming(chat, 1, "Ann", migrate_to_chat_id=new_chat_id)})

    def press(self, chat_id: int, message_id: int, data: str, *, user_id: int, name: str) -> None:
        """Someone presses an inline button under the bot's message."""
        message = self.message(chat_id, message_id)
        self.push(
            {
                "callback_query": {
                    "id": f"cb{next(self._update_ids)}",
                    "from": {"id": user_id, "is_bot": False, "first_name": name},
                    "chat_instance": "1",
                    "message": message,
                    "data": data,
                }
            }
        )

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        return next(m for m in self.chats[chat_id] if m["message_id"] == message_id)

    def texts(self, chat_id: int) -> list[str]:
        return [m["text"] for m in self.chats[chat_id]]

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # --- the wire ----------------------------------------------------------------------

    def _incoming(
        self, chat: dict[str, Any], user_id: int, name: str, **fields: Any
    ) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": name},
            **fields,
        }

    def _fault(self, method: str, chat_id: Any) -> Fault | None:
        for fault in self.faults:
            if fault.method == method and fault.chat_id in (None, chat_id):
                self.faults.remove(fault)
                return fault
        return None

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return error_response(401, "Unauthorized")
        method = request.match_info["method"]
        if request.content_type == "application/json":
            raw = await request.json()
        else:
            raw = dict(await request.post())
        params = parse_params(raw)
        self.calls.append(Call(method, params))
        fault = self._fault(method, params.get("chat_id"))
        if fault is not None:
            if fault.kind == "slow":
                await asyncio.sleep(fault.value)
            else:
                return self._failure(fault)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return web.json_response({"ok": True, "result": True})
        result = await handler(params)
        return web.json_response({"ok": True, "result": result})

    def _failure(self, fault: Fault) -> web.Response:
        if fault.kind == "429":
            retry = int(fault.value) or 1
            return error_response(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        if fault.kind == "403":
            return error_response(403, "Forbidden: bot was kicked from the group chat")
        if fault.kind == "migrate":
            return error_response(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=int(fault.value),
            )
        return error_response(500, "Internal Server Error")

    async def _m_setWebhook(self, params: dict[str, Any]) -> Any:  # noqa: N802
        self.webhook = (params["url"], params.get("secret_token", ""))
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> Any:  # noqa: N802
        self.webhook = None
        return True

    async def _m_getMe(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return BOT

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:  # noqa: N802
        chat_id = params["chat_id"]
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "group" if chat_id < 0 else "private", "title": "c"},
            "from": BOT,
            "text": params.get("text", ""),
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.chats[chat_id].append(message)
        if self.on_send is not None:
            await self.on_send(chat_id, message)
        return message

    async def _m_editMessageText(self, params: dict[str, Any]) -> Any:  # noqa: N802
        message = self.message(params["chat_id"], params["message_id"])
        message["text"] = params.get("text", "")
        message["edit_date"] = int(time.time())
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return message

    async def _m_getUpdates(self, params: dict[str, Any]) -> Any:  # noqa: N802
        offset = params.get("offset") or 0
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._arrived.clear()
            wait = min(float(params.get("timeout") or 0), 1.0)
            try:
                await asyncio.wait_for(self._arrived.wait(), wait)
            except TimeoutError:
                return []
        return list(self._updates)
