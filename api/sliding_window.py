"""Sliding-log counters in Redis: at most ``limit`` admissions in any ``window`` of time.

A sorted set per subject holds one member per admitted request, scored by its instant; one
Lua script drops what left the window, counts, and admits or refuses atomically, so every
api replica shares the count. Unlike a fixed window, no burst of twice the limit can pass
around a window boundary. The instant comes from the caller (the app's clock), which is how
tests move time instead of sleeping.

Redis not answering within ``REDIS_WAIT_SECONDS`` makes every call answer ``None``
(the caller then lets the request pass: limits fail open), logs the outage once, and leaves
Redis alone for ``PAUSE_AFTER_OUTAGE_SECONDS`` before trying again.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Sequence
from typing import Any

import msgspec
from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

log = logging.getLogger("lunch.api")

REDIS_WAIT_SECONDS = 0.25
PAUSE_AFTER_OUTAGE_SECONDS = 5.0

# KEYS[1]: the log. ARGV: now (ms), window (ms), limit, a fresh member, mode.
# mode "admit": add the member only if fewer than limit are in the window.
# mode "peek": add nothing. mode "record": add it anyway, keeping the newest ``limit``.
# Returns {admitted (0|1), count in the window, ms until the oldest entry leaves it, then
# each further key's hash}: the caller's pending writes (api.freshness) come back in the same
# round trip.
_SLIDE = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local admitted = 0
if ARGV[5] == 'record' or (ARGV[5] == 'admit' and count < limit) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(limit + 1))
  redis.call('PEXPIRE', KEYS[1], window)
  count = redis.call('ZCARD', KEYS[1])
  admitted = 1
end
local wait = 0
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then wait = tonumber(oldest[2]) + window - now end
local out = {admitted, count, wait}
for i = 2, #KEYS do
  out[#out + 1] = redis.call('HGETALL', KEYS[i])
end
return out
"""


class Verdict(msgspec.Struct, frozen=True):
    admitted: bool
    count: int
    seconds_until_room: float
    hashes: list[Any] = msgspec.field(default_factory=list)


class SlidingWindow:
    """One sliding log per key; ``None`` from any call means Redis could not answer."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._script: AsyncScript | None = None
        self._paused_until = 0.0
        self._down = False

    async def admit(
        self, key: str, limit: int, window: float, now: float, read: Sequence[str] = ()
    ) -> Verdict | None:
        """Count this request in if the window has room; also read the hashes at ``read``."""
        return await self._call(key, limit, window, now, "admit", read)

    async def peek(self, key: str, limit: int, window: float, now: float) -> Verdict | None:
        """How full the window is, counting nothing."""
        return await self._call(key, limit, window, now, "peek")

    async def record(self, key: str, limit: int, window: float, now: float) -> Verdict | None:
        """Count something that already happened (a failed login), room or not."""
        return await self._call(key, limit, window, now, "record")

    async def _call(
        self, key: str, limit: int, window: float, now: float, mode: str, read: Sequence[str] = ()
    ) -> Verdict | None:
        if time.monotonic() < self._paused_until:
            return None
        if self._script is None:
            self._script = self._redis.register_script(_SLIDE)
        now_ms, window_ms = int(now * 1000), int(window * 1000)
        member = f"{now_ms}:{secrets.token_hex(6)}"
        try:
            # A deadline on this task, not wait_for: that starts a task per call (3.11).
            async with asyncio.timeout(REDIS_WAIT_SECONDS):
                admitted, count, wait_ms, *hashes = await self._script(
                    keys=[key, *read], args=[now_ms, window_ms, limit, member, mode]
                )
        except (RedisError, OSError, TimeoutError) as e:
            self._paused_until = time.monotonic() + PAUSE_AFTER_OUTAGE_SECONDS
            if not self._down:
                self._down = True
                log.warning(
                    "rate limiting is off while Redis is unavailable", extra={"error": repr(e)}
                )
            return None
        if self._down:
            self._down = False
            log.info("rate limiting is back on: Redis answers again")
        return Verdict(bool(admitted), int(count), max(int(wait_ms), 0) / 1000, hashes)
