"""One Gemini request ranks a batch of employees, walking the key pool until a key answers."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from recommender.gemini import Failed, Gemini, KeyRejected, RateLimited
from recommender.keys import KeyPool
from recommender.model import Item
from recommender.parse import Malformed, parse
from recommender.prompt import RESPONSE_SCHEMA, Entry, prompt

log = logging.getLogger("lunch.recommender")


async def rank_batch(
    pool: KeyPool, gemini: Gemini, batch: list[Entry], now: Callable[[], dt.datetime]
) -> dict[int, list[Item]]:
    """Gemini's items per Telegram id; employees it did not rank are absent (→ fallback).

    A rate-limited key cools down and a rejected one is disabled, and the next key takes the
    same request; a server error, a timeout or a malformed answer ends the batch instead,
    since another key would not fix them and would spend more quota.
    """
    text = prompt(batch)
    while (reserved := await pool.reserve(now())) is not None:
        fp = reserved.fingerprint
        try:
            answer = await gemini.generate(reserved.key, text, RESPONSE_SCHEMA)
        except RateLimited as e:
            await pool.cool_down(fp, now(), e.retry_after)
            continue
        except KeyRejected as e:
            await pool.disable(fp, e.reason)
            continue
        except Failed as e:
            log.warning("gemini failed; batch falls back", extra={"key": fp, "error": str(e)})
            return {}
        try:
            return parse(answer, batch)
        except Malformed as e:
            log.warning("gemini answer malformed", extra={"key": fp, "error": str(e)[:200]})
            return {}
    log.warning("no gemini key usable; batch falls back", extra={"employees": len(batch)})
    return {}
