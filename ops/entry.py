"""Running a component's entry point, whether it is a plain or an async function."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any


def call(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a sync or async entry point to completion."""
    result = function(*args, **kwargs)
    if inspect.isawaitable(result):
        return asyncio.run(_wait(result))
    return result


async def _wait(awaitable: Any) -> Any:
    return await awaitable
