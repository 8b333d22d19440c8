"""The Gemini key pool in Redis: a request counter per key per day, cool-downs, disabled keys.

A request reserves a key with one Lua script, so any number of workers in any number of
processes can never push a key past its daily cap. Keys are named only by a fingerprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Literal
from zoneinfo import ZoneInfo

import msgspec
from redis.asyncio import Redis

log = logging.getLogger("lunch.recommender")

PREFIX = "recommender:key:"
# Gemini's free-tier quotas reset at midnight Pacific time.
RESET_ZONE = ZoneInfo("America/Los_Angeles")
COUNTER_TTL = 2 * 24 * 3600
DISABLED_TTL = 30 * 24 * 3600
State = Literal["ready", "exhausted", "cooling", "disabled"]

# ARGV: prefix, day, cap, counter ttl, then the fingerprints in order of preference.
# Returns the 1-based position of the reserved key, or 0 when none may be used.
_RESERVE = """
local prefix, day, cap, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
for i = 5, #ARGV do
  local base = prefix .. ARGV[i]
  if redis.call('EXISTS', base .. ':disabled', base .. ':cooling') == 0 then
    local counter = base .. ':used:' .. day
    if tonumber(redis.call('GET', counter) or '0') < cap then
      redis.call('INCR', counter)
      redis.call('EXPIRE', counter, ttl)
      return i - 4
    end
  end
end
return 0
"""


def fingerprint(key: str) -> str:
    """What logs, metrics and Redis call a key: 8 hex digits of its SHA-256."""
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def quota_day(now: dt.datetime) -> str:
    return now.astimezone(RESET_ZONE).date().isoformat()


def next_reset(now: dt.datetime) -> dt.datetime:
    local = now.astimezone(RESET_ZONE)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), RESET_ZONE)
    return midnight.astimezone(dt.UTC)


class KeyState(msgspec.Struct, frozen=True, kw_only=True):
    fingerprint: str
    used_today: int
    state: State
    reason: str = ""


class Reserved(msgspec.Struct, frozen=True):
    key: str
    fingerprint: str


class KeyPool:
    """The configured keys, in order of preference; each reservation counts one request."""

    def __init__(self, redis: Redis, keys: tuple[str, ...], cap: int) -> None:
        self.redis = redis
        self.keys = tuple(dict.fromkeys(keys))
        self.cap = cap
        self._prints = [fingerprint(k) for k in self.keys]
        self._script = redis.register_script(_RESERVE)
        self.reserved = 0  # requests this process reserved, for run summaries

    async def reserve(self, now: dt.datetime) -> Reserved | None:
        """A key with room today that is neither cooling down nor disabled, counted as used."""
        if not self.keys:
            return None
        args: list[str | int] = [PREFIX, quota_day(now), self.cap, COUNTER_TTL, *self._prints]
        position = int(await self._script(args=args))
        if position == 0:
            return None
        self.reserved += 1
        return Reserved(self.keys[position - 1], self._prints[position - 1])

    async def cool_down(self, fp: str, now: dt.datetime, retry_after: float | None) -> None:
        """Rest the key for the delay the API asked for, else until the quota resets."""
        seconds = retry_after if retry_after else (next_reset(now) - now).total_seconds()
        millis = max(int(seconds * 1000), 1)
        await self.redis.set(f"{PREFIX}{fp}:cooling", "1", px=millis)
        log.warning("gemini key cooling down", extra={"key": fp, "seconds": millis / 1000})

    async def disable(self, fp: str, reason: str) -> None:
        """Stop using the key (invalid or forbidden); an operator replaces it."""
        await self.redis.set(f"{PREFIX}{fp}:disabled", reason, ex=DISABLED_TTL)
        log.error("gemini key disabled", extra={"key": fp, "reason": reason})

    async def states(self, now: dt.datetime) -> list[KeyState]:
        """Each key's requests today and state, for metrics and logs."""
        day = quota_day(now)
        found = []
        for fp in self._prints:
            base = f"{PREFIX}{fp}"
            used, cooling, disabled = await self.redis.mget(
                f"{base}:used:{day}", f"{base}:cooling", f"{base}:disabled"
            )
            count = int(used or 0)
            state: State = "ready"
            if disabled is not None:
                state = "disabled"
            elif cooling is not None:
                state = "cooling"
            elif count >= self.cap:
                state = "exhausted"
            reason = disabled.decode() if isinstance(disabled, bytes) else ""
            found.append(KeyState(fingerprint=fp, used_today=count, state=state, reason=reason))
        return found
