"""The fake Bot API server on its own event loop in a thread, for synchronous tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from tests.fakes.telegram import FakeTelegram


class FakeTelegramThread:
    """The fake server on its own event loop in a thread, for tests that are synchronous
    (a `lunch run` child process talks to it). ``call`` runs a method on that loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.fake = FakeTelegram()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> FakeTelegram:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.__aenter__(), self.loop).result(10)
        return self.fake

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.__aexit__(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    def call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        async def run() -> Any:
            return method(*args, **kwargs)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(10)
