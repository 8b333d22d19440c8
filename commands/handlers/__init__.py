"""Handlers per aggregate: each loads what it needs, calls the pure decision and returns
the events to append. The executor finds them here by command type."""

from __future__ import annotations

from commands.handlers import cafes, dispatches, employees, links, orders
from commands.session import Handler

HANDLERS: dict[type, Handler] = {
    **cafes.HANDLERS,
    **orders.HANDLERS,
    **employees.HANDLERS,
    **links.HANDLERS,
    **dispatches.HANDLERS,
}

__all__ = ["HANDLERS", "Handler"]
