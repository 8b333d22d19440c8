"""The event catalogue: what happened to cafes, orders and employees.

Events are frozen msgspec Structs. They are stored in the event store and published
unchanged on Kafka, so they are the published language of the system: renaming a field
is a schema change (bump ``class_version`` and add an upcaster in ``commands.mapper``).
Each event says who did it (``actor``: a Telegram id as a string, or ``"system"``) and
when (``at``, timezone-aware UTC).
"""

from __future__ import annotations

import datetime as dt
import typing
import uuid
from typing import ClassVar

import msgspec

SYSTEM = "system"


class Event(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    """Base of every domain event."""

    class_version: ClassVar[int] = 1
    at: dt.datetime
    actor: str


# --- value objects carried by events --------------------------------------------------


class Dish(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    category: str
    price: int
    available: bool = True
    description: str = ""
    # Added after the first menus were stored: the default decodes them as untagged.
    tags: tuple[str, ...] = ()


class Extra(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    price: int
    available: bool = True


class Combo(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    price: int
    categories: tuple[str, ...]


class OrderedDish(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    dish_id: uuid.UUID
    name: str


class OrderedExtra(msgspec.Struct, frozen=True, kw_only=True):
    extra_id: uuid.UUID
    name: str
    qty: int
    price: int


# --- Cafe (aggregate id: the cafe id) ---------------------------------------------------


class CafeRegistered(Event, frozen=True, tag="Cafe.Registered"):
    cafe_id: uuid.UUID
    name: str
    timezone: str
    currency: str = "RUB"


class CafeRenamed(Event, frozen=True, tag="Cafe.Renamed"):
    cafe_id: uuid.UUID
    name: str


class CafeActivated(Event, frozen=True, tag="Cafe.Activated"):
    cafe_id: uuid.UUID


class CafeDeactivated(Event, frozen=True, tag="Cafe.Deactivated"):
    cafe_id: uuid.UUID


class MenuSet(Event, frozen=True, tag="Cafe.MenuSet"):
    """The cafe's dishes and extras, replaced as a whole."""

    cafe_id: uuid.UUID
    dishes: tuple[Dish, ...]
    extras: tuple[Extra, ...]


class AvailabilityChanged(Event, frozen=True, tag="Cafe.AvailabilityChanged"):
    """A dish or an extra entered or left the stop-list."""

    cafe_id: uuid.UUID
    item_id: uuid.UUID
    available: bool


class CombosSet(Event, frozen=True, tag="Cafe.CombosSet"):
    cafe_id: uuid.UUID
    combos: tuple[Combo, ...]


class ScheduleSet(Event, frozen=True, tag="Cafe.ScheduleSet"):
    """Weekdays served (0 = Monday), the daily cutoff in the cafe's timezone, holidays."""

    cafe_id: uuid.UUID
    weekdays: tuple[int, ...]
    cutoff: str
    timezone: str
    holidays: tuple[dt.date, ...] = ()


class OrderingClosed(Event, frozen=True, tag="Cafe.OrderingClosed"):
    """No more orders for this cafe-day; the cafe's dispatch follows."""

    cafe_id: uuid.UUID
    date: dt.date
    early: bool = False


class ChatLinked(Event, frozen=True, tag="Cafe.ChatLinked"):
    cafe_id: uuid.UUID
    chat_id: int
    request_id: uuid.UUID


class DispatchSent(Event, frozen=True, tag="Cafe.DispatchSent"):
    cafe_id: uuid.UUID
    date: dt.date
    chat_id: int
    message_ids: tuple[int, ...]
    text: str


class DispatchLogged(Event, frozen=True, tag="Cafe.DispatchLogged"):
    """Rendered and recorded without sending: no bot token is configured."""

    cafe_id: uuid.UUID
    date: dt.date
    text: str


class DispatchFailed(Event, frozen=True, tag="Cafe.DispatchFailed"):
    cafe_id: uuid.UUID
    date: dt.date
    error: str
    text: str = ""


class DispatchAcknowledged(Event, frozen=True, tag="Cafe.DispatchAcknowledged"):
    cafe_id: uuid.UUID
    date: dt.date


# --- Cafe: the notifier's attempts and a manager's resend (aggregate id: the cafe id) ---


class DispatchAttempted(Event, frozen=True, tag="Cafe.DispatchAttempted"):
    """A send is about to start; until its outcome is recorded the dispatch is in doubt."""

    cafe_id: uuid.UUID
    date: dt.date
    chat_id: int
    repeat: bool = False


class DispatchResendRequested(Event, frozen=True, tag="Cafe.DispatchResendRequested"):
    """A manager asked for the day's dispatch to be sent again, marked as a repeat."""

    cafe_id: uuid.UUID
    date: dt.date


# --- Link request (aggregate id: link_request_id(chat_id)) ------------------------------


class LinkRequested(Event, frozen=True, tag="Cafe.LinkRequested"):
    request_id: uuid.UUID
    chat_id: int
    chat_title: str
    requested_by: int


class LinkApproved(Event, frozen=True, tag="Cafe.LinkApproved"):
    request_id: uuid.UUID
    chat_id: int
    cafe_id: uuid.UUID


class LinkRejected(Event, frozen=True, tag="Cafe.LinkRejected"):
    request_id: uuid.UUID
    chat_id: int
    reason: str


# --- Order (aggregate id: order_id(tg_id, date)) ---------------------------------------


class OrderContent(Event, frozen=True):
    """What an order holds: server-computed names, prices and total, frozen at that moment."""

    order_id: uuid.UUID
    tg_id: int
    cafe_id: uuid.UUID
    cafe_name: str
    date: dt.date
    combo_id: uuid.UUID
    combo_name: str
    combo_price: int
    dishes: tuple[OrderedDish, ...]
    extras: tuple[OrderedExtra, ...]
    total: int
    currency: str
    note: str = ""
    editable_until: dt.datetime | None = None


class OrderPlaced(OrderContent, frozen=True, tag="Order.Placed"):
    """An employee's order for a date, placed (or placed anew after a cancellation)."""


class OrderChanged(OrderContent, frozen=True, tag="Order.Changed"):
    """The order's new content; its cafe and date stay."""


class OrderCancelled(Event, frozen=True, tag="Order.Cancelled"):
    order_id: uuid.UUID
    tg_id: int
    cafe_id: uuid.UUID
    date: dt.date


class OrderRejected(Event, frozen=True, tag="Order.Rejected"):
    """The order reached the log after its cafe-day closed; it will not be delivered."""

    order_id: uuid.UUID
    tg_id: int
    cafe_id: uuid.UUID
    date: dt.date
    reason: str


# --- Employee (aggregate id: employee_id(tg_id)) ---------------------------------------


class EmployeeRegistered(Event, frozen=True, tag="Employee.Registered"):
    tg_id: int
    name: str
    office: str
    role: str = "employee"
    monthly_limit: int | None = None


class EmployeeUpdated(Event, frozen=True, tag="Employee.Updated"):
    """New name, office and role (all three, as they now stand)."""

    tg_id: int
    name: str
    office: str
    role: str


class EmployeeDeactivated(Event, frozen=True, tag="Employee.Deactivated"):
    tg_id: int


class EmployeeActivated(Event, frozen=True, tag="Employee.Activated"):
    tg_id: int


class MonthlyLimitSet(Event, frozen=True, tag="Employee.MonthlyLimitSet"):
    tg_id: int
    monthly_limit: int | None


# --- Employee month (aggregate id: month_spend_id(tg_id, month)) -----------------------


class SpendRecorded(Event, frozen=True, tag="EmployeeMonth.SpendRecorded"):
    """What one order now counts toward its employee's monthly limit (0: nothing, as
    when cancelled or rejected). Appended with the order's own event, in one write."""

    tg_id: int
    month: dt.date
    order_id: uuid.UUID
    amount: int


CafeEvent = (
    CafeRegistered
    | CafeRenamed
    | CafeActivated
    | CafeDeactivated
    | MenuSet
    | AvailabilityChanged
    | CombosSet
    | ScheduleSet
    | OrderingClosed
    | ChatLinked
    | DispatchSent
    | DispatchLogged
    | DispatchFailed
    | DispatchAcknowledged
    | DispatchAttempted
    | DispatchResendRequested
)
LinkEvent = LinkRequested | LinkApproved | LinkRejected
OrderEvent = OrderPlaced | OrderChanged | OrderCancelled | OrderRejected
EmployeeEvent = (
    EmployeeRegistered | EmployeeUpdated | EmployeeDeactivated | EmployeeActivated | MonthlyLimitSet
)
SpendEvent = SpendRecorded
AnyEvent = CafeEvent | LinkEvent | OrderEvent | EmployeeEvent | SpendEvent

EVENT_TYPES: dict[str, type[Event]] = {
    str(cls.__struct_config__.tag): cls
    for cls in (
        *typing.get_args(CafeEvent),
        *typing.get_args(LinkEvent),
        *typing.get_args(OrderEvent),
        *typing.get_args(EmployeeEvent),
        SpendRecorded,
    )
}


def event_type(event: Event) -> str:
    """The stable wire name of an event, e.g. ``Order.Placed``."""
    tag = type(event).__struct_config__.tag
    assert isinstance(tag, str)
    return tag


def kafka_key(event: Event) -> str:
    """Partition key: the cafe for cafe and order events, else the event's subject.

    Keeping a cafe's orders and its closure under one key keeps them in order; a link
    request's events share the request's key.
    """
    if isinstance(event, LinkRequested | LinkApproved | LinkRejected):
        return str(event.request_id)
    cafe_id = getattr(event, "cafe_id", None)
    if cafe_id is not None:
        return str(cafe_id)
    return f"employee:{getattr(event, 'tg_id', '')}"


class Recorded(msgspec.Struct, frozen=True, kw_only=True):
    """An event with its place in the store: what projections and consumers receive."""

    notification_id: int
    originator_id: uuid.UUID
    originator_version: int
    event: AnyEvent


def encode_event(event: Event) -> bytes:
    return msgspec.json.encode(event)


_any_decoder = msgspec.json.Decoder(AnyEvent)


def decode_event(data: bytes) -> AnyEvent:
    event: AnyEvent = _any_decoder.decode(data)
    return event
