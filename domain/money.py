"""Money is an integer number of minor units (kopecks) with the cafe's currency."""

from __future__ import annotations

MAX_PRICE = 10_000_000_00  # ten million in major units: far above any lunch
MAX_EXTRA_QTY = 10

SPENT_STATUS = "placed"
"""Spent this month: the employee's orders dated that month whose status is ``placed``.
Cancelled and rejected orders count nothing. The limit check, ``/api/me`` and the stats
all count this way (the cafe reports list delivered orders, which also leaves out an order
flagged late until the backstop rejects it)."""


def format_money(amount: int, currency: str = "RUB") -> str:
    """``12345, "RUB"`` → ``"123.45 RUB"``."""
    sign = "-" if amount < 0 else ""
    major, minor = divmod(abs(amount), 100)
    return f"{sign}{major}.{minor:02d} {currency}"
