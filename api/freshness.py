"""Read-your-writes: after a user's write, their next read waits for the projection to catch up.

A write remembers, per user and Kafka key (the cafe, for orders), the notification id of
its last event in a Redis hash with a short TTL, so any api replica can honour it. A read
then waits, bounded, until the projection has applied those ids. Redis being down only
costs freshness: writes still succeed and reads answer at once.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Sequence
from contextvars import ContextVar
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from api.context import Context
from commands.messages import Outcome
from domain.events import event_type, kafka_key
from projections.models.catalogue import BY_NAME

log = logging.getLogger("lunch.api")

REMEMBER_SECONDS = 300
WAIT_SECONDS = 5.0
# ARGV: seconds to keep the hash, then pairs (field, notification id) to set in it. One
# script call, not a MULTI of HSET and EXPIRE: a write's only Redis round trip, at less cost.
_REMEMBER = """
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 0
"""
# Pairs (field, notification id) in ARGV; a field is deleted only if it still holds that id.
_FORGET = """
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
return 0
"""


class Read(enum.StrEnum):
    """What a route reads, named by the projection that keeps it."""

    ORDERS = "orders"
    EMPLOYEES = "employees"
    LINK_REQUESTS = "link_requests"
    MENUS = "menus"


def written(outcome: Outcome[Any], read: Read) -> dict[str, int]:
    """A write's Kafka keys, each with the notification id of its last event there that
    ``read``'s projection applies: it never records a position for an event it ignores
    (an order's month spend), so a read waiting for one would wait out its whole bound."""
    handles = BY_NAME[read].handles
    return {
        kafka_key(r.event): r.notification_id
        for r in outcome.recorded
        if event_type(r.event) in handles
    }


async def wrote(ctx: Context, read: Read, tg_id: int, outcome: Outcome[Any]) -> dict[str, int]:
    """Remember the user's write, so their next read of ``read`` waits for it."""
    keys = written(outcome, read)
    await remember_many(ctx.redis, read, tg_id, keys)
    return keys


async def applied(ctx: Context, read: Read, keys: dict[str, int]) -> bool:
    """Wait, bounded, until ``read``'s projection applied these writes."""
    deadline = time.monotonic() + WAIT_SECONDS
    for key, nid in keys.items():
        left = deadline - time.monotonic()
        if left <= 0 or not await ctx.reads.wait_applied(read, key, nid, left):
            return False
    return True


# The rate limiter reads the caller's pending writes for these projections in the same
# Redis round trip as its counter (``prefetch_keys``), so a read with nothing pending
# needs no further call; other projections are read when asked.
PREFETCHED = (Read.ORDERS, Read.MENUS, Read.EMPLOYEES)
_prefetched: ContextVar[tuple[int, dict[Read, dict[str, int]]] | None] = ContextVar(
    "lunch_ryw_prefetched", default=None
)


# Kept until they expire, though applied: every worker's copy of my orders
# (api.orders_cache) and of menus (api.menu_cache) checks its entries against them, so a
# read that saw a write on one worker must not hide it from an older entry on another.
KEPT = frozenset({Read.ORDERS, Read.MENUS})


def _key(projection: str, tg_id: int) -> str:
    return f"lunch:ryw:{projection}:{tg_id}"


def prefetch_keys(tg_id: int) -> list[str]:
    return [_key(projection, tg_id) for projection in PREFETCHED]


def prefetched(tg_id: int, hashes: Sequence[Sequence[bytes | str]]) -> None:
    """Hold, for this request, the user's pending writes read with ``prefetch_keys``
    (each hash as Redis' flat field/value list)."""
    pending = {
        projection: {_text(flat[i]): int(flat[i + 1]) for i in range(0, len(flat), 2)}
        for projection, flat in zip(PREFETCHED, hashes, strict=True)
    }
    _prefetched.set((tg_id, pending))


async def pending_writes(ctx: Context, projection: Read, tg_id: int) -> dict[str, int] | None:
    """The user's remembered writes for ``projection``; None if Redis cannot tell."""
    held = _prefetched.get()
    if held is not None and held[0] == tg_id and projection in held[1]:
        return held[1][projection]
    try:
        raw = await ctx.redis.hgetall(_key(projection, tg_id))
    except (RedisError, OSError) as e:
        log.warning("read-your-writes: Redis unavailable", extra={"error": repr(e)})
        return None
    return {_text(k): int(v) for k, v in raw.items()}


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


async def remember_many(redis: Redis, projection: str, tg_id: int, written: dict[str, int]) -> None:
    """Remember the last notification id written per Kafka key (several keys: an import)."""
    written = {k: nid for k, nid in written.items() if nid > 0}
    if not written:
        return
    _prefetched.set(None)  # what was read before this write is no longer all there is
    pairs = [x for field, nid in written.items() for x in (field, nid)]
    try:
        remember = redis.register_script(_REMEMBER)  # no round trip: EVALSHA, loaded once
        await remember(keys=[_key(projection, tg_id)], args=[REMEMBER_SECONDS, *pairs])
    except (RedisError, OSError) as e:
        log.warning("read-your-writes: could not remember a write", extra={"error": repr(e)})


async def _forget(ctx: Context, key: str, seen: dict[str, int]) -> None:
    """Drop writes a read confirmed applied, unless a newer write replaced one meanwhile."""
    pairs = [str(x) for field, nid in seen.items() for x in (field, nid)]
    try:
        await ctx.redis.eval(_FORGET, 1, key, *pairs)
    except (RedisError, OSError) as e:
        log.warning("read-your-writes: could not forget applied writes", extra={"error": repr(e)})


async def catch_up(ctx: Context, projection: Read, tg_id: int, wait: float = WAIT_SECONDS) -> bool:
    """Wait until ``projection`` has applied the user's remembered writes; False on timeout."""
    return await caught_up_to(ctx, projection, tg_id, wait) is not None


async def caught_up_to(
    ctx: Context, projection: Read, tg_id: int, wait: float = WAIT_SECONDS
) -> dict[str, int] | None:
    """``catch_up``, answering the notification ids per Kafka key it waited for (empty:
    nothing was pending), or None when it could not (timeout, Redis unavailable)."""
    pending = await pending_writes(ctx, projection, tg_id)
    if pending is None:
        return None
    deadline = time.monotonic() + wait
    seen: dict[str, int] = {}
    for key, nid in pending.items():
        left = deadline - time.monotonic()
        if left <= 0 or not await ctx.reads.wait_applied(projection, key, nid, left):
            log.warning(
                "read-your-writes: projection lags",
                extra={"projection": projection, "key": key, "notification_id": nid},
            )
            return None
        seen[key] = nid
    if seen and projection not in KEPT:
        # Applied writes stay applied: later reads need not check them again (an import
        # leaves one entry per employee).
        await _forget(ctx, _key(projection, tg_id), seen)
    return seen
