"""The Cafe aggregate: profile, menu, combos, schedule, linked chat and per-day state."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence

import msgspec

from domain import events as ev
from domain.dish_tags import check_tags
from domain.errors import InvalidRequest, NotFound, OrderingClosed
from domain.money import MAX_PRICE
from domain.schedule import check_weekdays, cutoff_at, parse_cutoff, zone
from domain.text import clean

_CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_NAME = 120
MAX_ITEMS = 300


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


def _name(value: str, field: str = "name") -> str:
    return clean(value, field, max_length=MAX_NAME)


def _price(value: int, field: str) -> int:
    if value < 0 or value > MAX_PRICE:
        raise InvalidRequest(f"{field} must be between 0 and {MAX_PRICE}", field=field)
    return value


def register_cafe(
    cafe_id: uuid.UUID, name: str, timezone: str, currency: str, *, now: dt.datetime, actor: str
) -> ev.CafeRegistered:
    zone(timezone)
    if not _CURRENCY.match(currency):
        raise InvalidRequest("currency is a 3-letter ISO code", field="currency")
    return ev.CafeRegistered(
        cafe_id=cafe_id, name=_name(name), timezone=timezone, currency=currency, at=now, actor=actor
    )


def update_cafe(
    cafe: CafeState, *, name: str | None, active: bool | None, now: dt.datetime, actor: str
) -> list[ev.Event]:
    out: list[ev.Event] = []
    if name is not None and _name(name) != cafe.name:
        out.append(ev.CafeRenamed(cafe_id=cafe.id, name=_name(name), at=now, actor=actor))
    if active is True and not cafe.active:
        out.append(ev.CafeActivated(cafe_id=cafe.id, at=now, actor=actor))
    if active is False and cafe.active:
        out.append(ev.CafeDeactivated(cafe_id=cafe.id, at=now, actor=actor))
    return out


def _unique_ids(ids: Sequence[uuid.UUID], field: str) -> None:
    if len(set(ids)) != len(ids):
        raise InvalidRequest(f"{field} ids must be unique", field=field)


def set_menu(
    cafe: CafeState,
    dishes: Sequence[ev.Dish],
    extras: Sequence[ev.Extra],
    *,
    now: dt.datetime,
    actor: str,
) -> ev.MenuSet:
    if len(dishes) + len(extras) > MAX_ITEMS:
        raise InvalidRequest(f"at most {MAX_ITEMS} dishes and extras", field="dishes")
    _unique_ids([*(d.id for d in dishes), *(e.id for e in extras)], "dishes")
    checked_dishes = tuple(
        msgspec.structs.replace(
            d,
            name=_name(d.name, "dishes.name"),
            category=_name(d.category, "dishes.category").lower(),
            price=_price(d.price, "dishes.price"),
            description=clean(
                d.description, "dishes.description", max_length=1000, required=False, multiline=True
            ),
            tags=check_tags(d.tags),
        )
        for d in dishes
    )
    checked_extras = tuple(
        msgspec.structs.replace(
            e, name=_name(e.name, "extras.name"), price=_price(e.price, "extras.price")
        )
        for e in extras
    )
    return ev.MenuSet(
        cafe_id=cafe.id, dishes=checked_dishes, extras=checked_extras, at=now, actor=actor
    )


def set_availability(
    cafe: CafeState, item_id: uuid.UUID, available: bool, *, now: dt.datetime, actor: str
) -> ev.AvailabilityChanged:
    if cafe.dish(item_id) is None and cafe.extra(item_id) is None:
        raise NotFound("no such dish or extra in this cafe", item_id=str(item_id))
    return ev.AvailabilityChanged(
        cafe_id=cafe.id, item_id=item_id, available=available, at=now, actor=actor
    )


def set_combos(
    cafe: CafeState, combos: Sequence[ev.Combo], *, now: dt.datetime, actor: str
) -> ev.CombosSet:
    if len(combos) > MAX_ITEMS:
        raise InvalidRequest(f"at most {MAX_ITEMS} combos", field="combos")
    _unique_ids([c.id for c in combos], "combos")
    checked: list[ev.Combo] = []
    for combo in combos:
        categories = tuple(_name(c, "combos.categories").lower() for c in combo.categories)
        if not categories or len(set(categories)) != len(categories):
            raise InvalidRequest(
                "a combo names one or more distinct categories", field="combos.categories"
            )
        checked.append(
            msgspec.structs.replace(
                combo,
                name=_name(combo.name, "combos.name"),
                price=_price(combo.price, "combos.price"),
                categories=categories,
            )
        )
    return ev.CombosSet(cafe_id=cafe.id, combos=tuple(checked), at=now, actor=actor)


def set_schedule(  # noqa: PLR0913
    cafe: CafeState,
    weekdays: Sequence[int],
    cutoff: str,
    timezone: str | None,
    holidays: Sequence[dt.date],
    *,
    now: dt.datetime,
    actor: str,
) -> ev.ScheduleSet:
    tz = timezone or cafe.timezone
    zone(tz)
    parse_cutoff(cutoff)
    return ev.ScheduleSet(
        cafe_id=cafe.id,
        weekdays=check_weekdays(weekdays),
        cutoff=cutoff,
        timezone=tz,
        holidays=tuple(sorted(set(holidays))),
        at=now,
        actor=actor,
    )


def check_ordering_open(cafe: CafeState, date: dt.date, now: dt.datetime) -> dt.datetime:
    """The cutoff for ``date`` if orders are still accepted at ``now``; else OrderingClosed."""
    deadline = cafe.cutoff_for(date)
    if deadline is None:
        raise OrderingClosed("the cafe does not serve on this date", date=date.isoformat())
    if cafe.is_closed(date) or now >= deadline:
        raise OrderingClosed(
            "ordering for this date is closed",
            date=date.isoformat(),
            deadline=deadline.isoformat(),
        )
    return deadline


def close_ordering(
    cafe: CafeState, date: dt.date, *, early: bool, now: dt.datetime, actor: str
) -> list[ev.Event]:
    """Close the cafe-day once; closing it again changes nothing."""
    if cafe.is_closed(date):
        return []
    return [ev.OrderingClosed(cafe_id=cafe.id, date=date, early=early, at=now, actor=actor)]


def due_closures(cafe: CafeState, now: dt.datetime, grace: dt.timedelta) -> list[dt.date]:
    """Dates (yesterday and today, cafe time) whose cutoff + grace has passed and are open."""
    today = now.astimezone(zone(cafe.timezone)).date()
    due = []
    for date in (today - dt.timedelta(days=1), today):
        deadline = cafe.cutoff_for(date)
        if deadline is not None and now >= deadline + grace and not cafe.is_closed(date):
            due.append(date)
    return due
