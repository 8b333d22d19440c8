"""Stopping a Kafka client when the broker may be gone: bounded in time, and not ended by
a cancellation the client raises of its own (aiokafka's consumer stop re-raises the
cancellation of a fetch caught in its retry pause). Only a cancellation of the caller's
own task goes through."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def stop_within(stop: Callable[[], Awaitable[None]], seconds: float) -> str | None:
    """Run ``stop`` for at most ``seconds``; None when it finished, else what happened:
    ``"timeout"`` (it goes on alone) or ``"cancelled"`` (from inside the client)."""
    try:
        await asyncio.wait_for(asyncio.shield(stop()), seconds)
    except TimeoutError:
        return "timeout"
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
        return "cancelled"
    return None
