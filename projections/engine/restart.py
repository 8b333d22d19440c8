"""The one restart loop: run a long-lived job again after a failure, with a growing,
jittered pause (tenacity), logging each failure. Cancellation ends it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, wait_exponential_jitter

from projections.engine.base import log_event


async def keep_running(
    job: Callable[[], Awaitable[Any]],
    *,
    logger: logging.Logger,
    event: str,
    first_pause: float = 0.2,
    max_pause: float = 5.0,
    **fields: Any,
) -> None:
    """Run ``job`` until cancelled; after each exception, log ``event`` and run it again."""

    def failed(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        pause = state.upcoming_sleep
        log_event(logger, logging.ERROR, event, error=repr(error), retry_in=pause, **fields)

    async for attempt in AsyncRetrying(
        retry=retry_if_exception_type(Exception),
        wait=wait_exponential_jitter(initial=first_pause, max=max_pause),
        before_sleep=failed,
    ):
        with attempt:
            await job()
