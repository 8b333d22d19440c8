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
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from api.context import Context
from commands.messages import Outcome
from domain.events import kafka_key

log = logging.getLogger("lunch.api")

REMEMBER_SECONDS = 300
WAIT_SECONDS = 5.0
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


def written(outcome: Outcome[Any]) -> dict[str, int]:
    """A write's Kafka keys, each with the notification id of its last event there."""
    return {kafka_key(r.event): r.notification_id for r in outcome.recorded}


async def wrote(ctx: Context, read: Read, tg_id: int, outcome: Outcome[Any]) -> dict[str, int]:
    """Remember the user's write, so their next read of ``read`` waits for it."""
    keys = written(outcome)
    await remember_many(ctx.redis, read, tg_id, keys)
    return keys


async def applied(ctx: Context, read: Read, keys: dict[str, int]) -> bool:
    """Wait, bounded, until ``read``'s projection applied these writes."""
    deadline = time.monotonic() + WAIT_SECONDS
    for key, nid in keys.items():
        left = deadline - time.monotonic()
        if left <= 0 or not await ctx.run(ctx.queries.wait_applied, read, key, nid, left):
            return False
    return True


def _key(projection: str, tg_id: int) -> str:
    return f"lunch:ryw:{projection}:{tg_id}"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


async def remember_many(redis: Redis, projection: str, tg_id: int, written: dict[str, int]) -> None:
    """Remember the last notification id written per Kafka key (several keys: an import)."""
    written = {k: nid for k, nid in written.items() if nid > 0}
    if not written:
        return
    key = _key(projection, tg_id)
    try:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=written)  # type: ignore[arg-type]
            pipe.expire(key, REMEMBER_SECONDS)
            await pipe.execute()
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
    key = _key(projection, tg_id)
    try:
        pending = await ctx.redis.hgetall(key)
    except (RedisError, OSError) as e:
        log.warning("read-your-writes: Redis unavailable", extra={"error": repr(e)})
        return False
    deadline = time.monotonic() + wait
    seen: dict[str, int] = {}
    for raw_key, raw_nid in pending.items():
        kafka_key, nid = _text(raw_key), int(raw_nid)
        left = deadline - time.monotonic()
        if left <= 0 or not await ctx.run(
            ctx.queries.wait_applied, projection, kafka_key, nid, left
        ):
            log.warning(
                "read-your-writes: projection lags",
                extra={"projection": projection, "key": kafka_key, "notification_id": nid},
            )
            return False
        seen[kafka_key] = nid
    if seen:
        # Applied writes stay applied: later reads need not check them again (an import
        # leaves one entry per employee).
        await _forget(ctx, key, seen)
    return True
