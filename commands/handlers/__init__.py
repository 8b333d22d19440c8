"""Handlers per aggregate: each loads what it needs, calls the pure decision and returns
the events to append. The executor finds them here by command type."""

from __future__ import annotations

from commands.handlers import cafes, dispatches, employees, links, orders
from commands.preload import ReadsOf
from commands.session import Handler

HANDLERS: dict[type, Handler] = {
    **cafes.HANDLERS,
    **orders.HANDLERS,
    **employees.HANDLERS,
    **links.HANDLERS,
    **dispatches.HANDLERS,
}

READS: dict[type, ReadsOf] = {**orders.READS}
"""Commands whose reads are known before deciding: a group of them is read at once."""

__all__ = ["HANDLERS", "READS", "Handler"]
