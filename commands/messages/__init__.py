"""Commands as data: what callers may ask of the write side, and what they get back.

Each command names the result its handler returns (``Command[OrderState]``); the executor
runs it and answers an ``Outcome`` of that type with the notification ids it wrote.
One module per aggregate, as the handlers are grouped.
"""

from __future__ import annotations

from commands.messages.base import (
    Command,
    Outcome,
)
from commands.messages.cafes import (
    CloseOrdering,
    ComboInput,
    DishInput,
    ExtraInput,
    RegisterCafe,
    SetAvailability,
    SetCombos,
    SetMenu,
    SetSchedule,
    UpdateCafe,
)
from commands.messages.dispatches import (
    AcknowledgeDispatch,
    BeginDispatch,
    FollowChatMigration,
    RecordDispatchFailed,
    RecordDispatchLogged,
    RecordDispatchSent,
    RequestResend,
)
from commands.messages.employees import (
    ImportEmployees,
    ImportResult,
    UpsertEmployee,
)
from commands.messages.links import (
    ApproveLink,
    RejectLink,
    RequestLink,
)
from commands.messages.orders import (
    CancelOrder,
    ChangeOrder,
    PlaceOrder,
    RejectOrder,
)
from domain.order import ExtraLine, OrderRequest

__all__ = [
    "AcknowledgeDispatch",
    "ApproveLink",
    "BeginDispatch",
    "CancelOrder",
    "ChangeOrder",
    "CloseOrdering",
    "ComboInput",
    "Command",
    "DishInput",
    "ExtraInput",
    "ExtraLine",
    "FollowChatMigration",
    "ImportEmployees",
    "ImportResult",
    "OrderRequest",
    "Outcome",
    "PlaceOrder",
    "RecordDispatchFailed",
    "RecordDispatchLogged",
    "RecordDispatchSent",
    "RegisterCafe",
    "RejectLink",
    "RejectOrder",
    "RequestLink",
    "RequestResend",
    "SetAvailability",
    "SetCombos",
    "SetMenu",
    "SetSchedule",
    "UpdateCafe",
    "UpsertEmployee",
]
