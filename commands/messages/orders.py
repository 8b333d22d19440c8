"""Order commands (``tg_id`` None: a manager acting on anyone's order)."""

from __future__ import annotations

import uuid

from commands.messages.base import Command
from domain.order import OrderRequest, OrderState


class PlaceOrder(Command[OrderState], frozen=True, kw_only=True):
    tg_id: int
    request: OrderRequest


class ChangeOrder(Command[OrderState], frozen=True, kw_only=True):
    order_id: uuid.UUID
    request: OrderRequest
    tg_id: int | None


class CancelOrder(Command[OrderState], frozen=True, kw_only=True):
    order_id: uuid.UUID
    tg_id: int | None


class RejectOrder(Command[OrderState], frozen=True, kw_only=True):
    order_id: uuid.UUID
    reason: str
