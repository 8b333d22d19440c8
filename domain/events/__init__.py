"""The event catalogue: what happened to cafes, orders and employees.

Events are frozen msgspec Structs. They are stored in the event store and published
unchanged on Kafka, so they are the published language of the system: renaming a field
is a schema change (bump ``class_version`` and add an upcaster in ``commands.mapper``).
Each event says who did it (``actor``: a Telegram id as a string, or ``"system"``) and
when (``at``, timezone-aware UTC).
"""

from __future__ import annotations

import typing
import uuid

import msgspec

from domain.events.base import (
    SYSTEM,
    Combo,
    Dish,
    Event,
    Extra,
    OrderedDish,
    OrderedExtra,
)
from domain.events.cafes import (
    AvailabilityChanged,
    CafeActivated,
    CafeDeactivated,
    CafeRegistered,
    CafeRenamed,
    ChatLinked,
    CombosSet,
    DispatchAcknowledged,
    DispatchAttempted,
    DispatchFailed,
    DispatchLogged,
    DispatchResendRequested,
    DispatchSent,
    MenuSet,
    OrderingClosed,
    ScheduleSet,
)
from domain.events.employees import (
    EmployeeActivated,
    EmployeeDeactivated,
    EmployeeRegistered,
    EmployeeUpdated,
    MonthlyLimitSet,
)
from domain.events.links import (
    LinkApproved,
    LinkRejected,
    LinkRequested,
)
from domain.events.orders import (
    OrderCancelled,
    OrderChanged,
    OrderContent,
    OrderPlaced,
    OrderRejected,
    SpendRecorded,
)

__all__ = [
    "EVENT_TYPES",
    "SYSTEM",
    "AnyEvent",
    "AvailabilityChanged",
    "CafeActivated",
    "CafeDeactivated",
    "CafeEvent",
    "CafeRegistered",
    "CafeRenamed",
    "ChatLinked",
    "Combo",
    "CombosSet",
    "Dish",
    "DispatchAcknowledged",
    "DispatchAttempted",
    "DispatchFailed",
    "DispatchLogged",
    "DispatchResendRequested",
    "DispatchSent",
    "EmployeeActivated",
    "EmployeeDeactivated",
    "EmployeeEvent",
    "EmployeeRegistered",
    "EmployeeUpdated",
    "Event",
    "Extra",
    "LinkApproved",
    "LinkEvent",
    "LinkRejected",
    "LinkRequested",
    "MenuSet",
    "MonthlyLimitSet",
    "OrderCancelled",
    "OrderChanged",
    "OrderContent",
    "OrderEvent",
    "OrderPlaced",
    "OrderRejected",
    "OrderedDish",
    "OrderedExtra",
    "OrderingClosed",
    "Recorded",
    "ScheduleSet",
    "SpendEvent",
    "SpendRecorded",
    "decode_event",
    "encode_event",
    "event_type",
    "kafka_key",
]

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
