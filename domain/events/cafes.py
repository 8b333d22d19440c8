"""Cafe events: the menu, the schedule, closing a day and dispatching it (aggregate id:
the cafe id)."""

from __future__ import annotations

import datetime as dt
import uuid

from domain.events.base import Combo, Dish, Event, Extra

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
