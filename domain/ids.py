"""Deterministic ids: the same employee and date always name the same order."""

from __future__ import annotations

import datetime as dt
import functools
import uuid

NAMESPACE = uuid.UUID("6f1d3c2e-8a4b-5c7d-9e0f-1a2b3c4d5e6f")


# A placement in a month new to the process names all its days (twice): an office of a
# thousand employees names 31,000 orders a month. 32,768 entries keep some 10 MB.
@functools.lru_cache(maxsize=32768)
def order_id(tg_id: int, date: dt.date) -> uuid.UUID:
    """One order per employee per date, so a retried placement is idempotent."""
    return uuid.uuid5(NAMESPACE, f"order:{tg_id}:{date.isoformat()}")


@functools.lru_cache(maxsize=4096)
def employee_id(tg_id: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"employee:{tg_id}")


def link_request_id(chat_id: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"link-request:{chat_id}")


@functools.lru_cache(maxsize=4096)
def month_spend_id(tg_id: int, month: dt.date) -> uuid.UUID:
    """The employee's spend stream for the month of ``month``."""
    return uuid.uuid5(NAMESPACE, f"month-spend:{tg_id}:{month:%Y-%m}")
