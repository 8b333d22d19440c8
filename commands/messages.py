"""Commands as data: what callers may ask of the write side, and what they get back.

Each command names the result its handler returns (``Command[OrderState]``); the executor
runs it and answers an ``Outcome`` of that type with the notification ids it wrote.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Generic, TypeVar

import msgspec

from domain.cafe import CafeState
from domain.dish_tags import MAX_TAGS, DishTag
from domain.employee import EmployeeState
from domain.events import Recorded
from domain.link import LinkState
from domain.order import ExtraLine, OrderRequest, OrderState
from domain.text import LINE_PATTERN, TEXT_PATTERN

T = TypeVar("T")

Money = Annotated[int, msgspec.Meta(ge=0, le=10_000_000_00)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=LINE_PATTERN)]


class DishInput(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    category: Name
    price: Money
    id: uuid.UUID | None = None
    available: bool = True
    description: Annotated[str, msgspec.Meta(max_length=1000, pattern=TEXT_PATTERN)] = ""
    tags: Annotated[list[DishTag], msgspec.Meta(max_length=MAX_TAGS)] = msgspec.field(
        default_factory=list
    )


class ExtraInput(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    price: Money
    id: uuid.UUID | None = None
    available: bool = True


class ComboInput(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    price: Money
    categories: Annotated[list[Name], msgspec.Meta(min_length=1, max_length=10)]
    id: uuid.UUID | None = None


class ImportResult(msgspec.Struct, frozen=True, kw_only=True):
    added: int
    updated: int
    errors: list[dict[str, int | str]]


class Outcome(msgspec.Struct, Generic[T], frozen=True):
    """A command's result, the notification id of its last event (0: nothing changed) and
    every event it wrote with its notification id (what read-your-writes waits for)."""

    value: T
    notification_id: int
    recorded: tuple[Recorded, ...] = ()

    @property
    def positions(self) -> tuple[int, ...]:
        return tuple(r.notification_id for r in self.recorded)


class Command(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    """A request to change state, made by ``actor`` (a Telegram id, or ``system``)."""

    actor: str


# --- cafes -----------------------------------------------------------------------------


class RegisterCafe(Command[CafeState], frozen=True, kw_only=True):
    name: str
    timezone: str
    currency: str


class UpdateCafe(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    name: str | None = None
    active: bool | None = None


class SetMenu(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    dishes: tuple[DishInput, ...]
    extras: tuple[ExtraInput, ...]


class SetAvailability(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    item_id: uuid.UUID
    available: bool


class SetCombos(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    combos: tuple[ComboInput, ...]


class SetSchedule(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    weekdays: tuple[int, ...]
    cutoff: str
    timezone: str | None = None
    holidays: tuple[dt.date, ...] = ()


class CloseOrdering(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date
    early: bool = True


# --- orders (tg_id None: a manager acting on anyone's order) ---------------------------


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


# --- employees -------------------------------------------------------------------------


class UpsertEmployee(Command[EmployeeState], frozen=True, kw_only=True):
    """Register an employee or change what is given (``monthly_limit`` None: no limit)."""

    tg_id: int
    name: str | None = None
    office: str | None = None
    role: str | None = None
    active: bool | None = None
    monthly_limit: int | msgspec.UnsetType | None = msgspec.UNSET
    must_exist: bool = False


class ImportEmployees(Command[ImportResult], frozen=True, kw_only=True):
    """A roster CSV: good lines applied together, each bad line reported."""

    text: str


# --- cafe link requests ----------------------------------------------------------------


class RequestLink(Command[LinkState], frozen=True, kw_only=True):
    chat_id: int
    chat_title: str
    requested_by: int


class ApproveLink(Command[LinkState], frozen=True, kw_only=True):
    request_id: uuid.UUID
    cafe_id: uuid.UUID


class RejectLink(Command[LinkState], frozen=True, kw_only=True):
    request_id: uuid.UUID
    reason: str


# --- a cafe-day's dispatch (the notifier) --------------------------------------------------


class BeginDispatch(Command[CafeState], frozen=True, kw_only=True):
    """A send to the cafe's chat starts now; a first send is refused once one was tried."""

    cafe_id: uuid.UUID
    date: dt.date
    chat_id: int
    repeat: bool


class RecordDispatchSent(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date
    chat_id: int
    message_ids: tuple[int, ...]
    text: str


class RecordDispatchFailed(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date
    error: str
    text: str


class RecordDispatchLogged(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date
    text: str


class AcknowledgeDispatch(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date


class RequestResend(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date


class FollowChatMigration(Command[CafeState], frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    old_chat_id: int
    new_chat_id: int


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
