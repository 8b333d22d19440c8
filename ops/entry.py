"""Late binding of component entry points, so one missing component never breaks the CLI."""

from __future__ import annotations

import asyncio
import importlib
import inspect
from typing import Any


class Unavailable(Exception):
    """A component's module or entry point does not exist in this build."""


def entry(module: str, name: str) -> Any:
    """``module.name``, imported on first use; Unavailable when either is absent."""
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name is not None and (module == e.name or module.startswith(e.name + ".")):
            raise Unavailable(f"module {module} does not exist") from e
        raise
    try:
        return getattr(loaded, name)
    except AttributeError as e:
        raise Unavailable(f"{module} has no {name}") from e


def call(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a sync or async entry point to completion."""
    result = function(*args, **kwargs)
    if inspect.isawaitable(result):
        return asyncio.run(_wait(result))
    return result


async def _wait(awaitable: Any) -> Any:
    return await awaitable
