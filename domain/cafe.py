"""The Cafe aggregate: its state and fold, and its profile (name, currency, active).

The cafe's other decisions: ``domain.menu`` (dishes, extras, combos, stop-list) and
``domain.cafe_days`` (schedule, whether a day still takes orders, closing a day).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import msgspec

from domain import events as ev
from domain.errors import InvalidRequest
from domain.schedule import cutoff_at, zone
from domain.text import clean

_CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_NAME = 120


class CafeState(msgspec.Struct, kw_only=True):
    """Everything decisions need to know about a cafe; also its snapshot."""

    id: uuid.UUID
    name: str
    timezone: str
    currency: str
    active: bool = True
    dishes: tuple[ev.Dish, ...] = ()
    extras: tuple[ev.Extra, ...] = ()
    combos: tuple[ev.Combo, ...] = ()
    weekdays: tuple[int, ...] = ()
    cutoff: str | None = None
    holidays: tuple[dt.date, ...] = ()
    closed: list[dt.date] = msgspec.field(default_factory=list)
    chat_id: int | None = None
    dispatched: dict[str, str] = msgspec.field(default_factory=dict)
    # date -> when a send was attempted whose outcome is not recorded yet
    in_doubt: dict[str, dt.datetime] = msgspec.field(default_factory=dict)
    # date -> when that day's dispatch first reached the cafe (or the log)
    sent_at: dict[str, dt.datetime] = msgspec.field(default_factory=dict)
    # date -> when the latest outcome (sent, logged, failed) was recorded
    settled_at: dict[str, dt.datetime] = msgspec.field(default_factory=dict)

    def dish(self, dish_id: uuid.UUID) -> ev.Dish | None:
        return next((d for d in self.dishes if d.id == dish_id), None)

    def extra(self, extra_id: uuid.UUID) -> ev.Extra | None:
        return next((e for e in self.extras if e.id == extra_id), None)

    def combo(self, combo_id: uuid.UUID) -> ev.Combo | None:
        return next((c for c in self.combos if c.id == combo_id), None)

    def cutoff_for(self, date: dt.date) -> dt.datetime | None:
        return cutoff_at(
            date,
            weekdays=self.weekdays,
            cutoff=self.cutoff,
            timezone=self.timezone,
            holidays=self.holidays,
        )

    def is_closed(self, date: dt.date) -> bool:
        return date in self.closed


def evolve(state: CafeState | None, event: ev.Event) -> CafeState:  # noqa: C901
    """Fold one event into the cafe's state."""
    if isinstance(event, ev.CafeRegistered):
        return CafeState(
            id=event.cafe_id, name=event.name, timezone=event.timezone, currency=event.currency
        )
    assert state is not None, f"{type(event).__name__} before Cafe.Registered"
    if isinstance(event, ev.CafeRenamed):
        state.name = event.name
    elif isinstance(event, ev.CafeActivated):
        state.active = True
    elif isinstance(event, ev.CafeDeactivated):
        state.active = False
    elif isinstance(event, ev.MenuSet):
        state.dishes, state.extras = event.dishes, event.extras
    elif isinstance(event, ev.AvailabilityChanged):
        state.dishes = tuple(
            msgspec.structs.replace(d, available=event.available) if d.id == event.item_id else d
            for d in state.dishes
        )
        state.extras = tuple(
            msgspec.structs.replace(e, available=event.available) if e.id == event.item_id else e
            for e in state.extras
        )
    elif isinstance(event, ev.CombosSet):
        state.combos = event.combos
    elif isinstance(event, ev.ScheduleSet):
        state.weekdays, state.cutoff = event.weekdays, event.cutoff
        state.timezone, state.holidays = event.timezone, event.holidays
    elif isinstance(event, ev.OrderingClosed):
        state.closed.append(event.date)
    elif isinstance(event, ev.ChatLinked):
        state.chat_id = event.chat_id
    elif isinstance(event, _DISPATCH_EVENTS):
        _fold_dispatch(state, event)
    return state


_DISPATCH_EVENTS = (
    ev.DispatchSent,
    ev.DispatchLogged,
    ev.DispatchFailed,
    ev.DispatchAcknowledged,
    ev.DispatchAttempted,
)


def _fold_dispatch(state: CafeState, event: ev.Event) -> None:
    """A day's dispatch: its status, an attempt whose outcome is unknown, when it first went."""
    day = str(getattr(event, "date", ""))
    if isinstance(event, ev.DispatchAttempted):
        state.in_doubt[day] = event.at
        return
    if isinstance(event, ev.DispatchSent | ev.DispatchLogged):
        state.dispatched[day] = "sent"
        state.sent_at.setdefault(day, event.at)
    elif isinstance(event, ev.DispatchFailed):
        state.dispatched.setdefault(day, "failed")
    elif isinstance(event, ev.DispatchAcknowledged):
        state.dispatched[day] = "acknowledged"
    if not isinstance(event, ev.DispatchAcknowledged):
        state.in_doubt.pop(day, None)
        state.settled_at[day] = event.at


def checked_name(value: str, field: str = "name") -> str:
    """A cafe, dish, extra, combo or category name: trimmed, printable, at most MAX_NAME."""
    return clean(value, field, max_length=MAX_NAME)


def register_cafe(
    cafe_id: uuid.UUID, name: str, timezone: str, currency: str, *, now: dt.datetime, actor: str
) -> ev.CafeRegistered:
    zone(timezone)
    if not _CURRENCY.match(currency):
        raise InvalidRequest("currency is a 3-letter ISO code", field="currency")
    return ev.CafeRegistered(
        cafe_id=cafe_id,
        name=checked_name(name),
        timezone=timezone,
        currency=currency,
        at=now,
        actor=actor,
    )


def update_cafe(
    cafe: CafeState, *, name: str | None, active: bool | None, now: dt.datetime, actor: str
) -> list[ev.Event]:
    out: list[ev.Event] = []
    if name is not None and checked_name(name) != cafe.name:
        out.append(ev.CafeRenamed(cafe_id=cafe.id, name=checked_name(name), at=now, actor=actor))
    if active is True and not cafe.active:
        out.append(ev.CafeActivated(cafe_id=cafe.id, at=now, actor=actor))
    if active is False and cafe.active:
        out.append(ev.CafeDeactivated(cafe_id=cafe.id, at=now, actor=actor))
    return out
