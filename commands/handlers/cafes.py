"""Cafe handlers: profile, menu, combos, schedule and closing a cafe-day."""

from __future__ import annotations

from collections.abc import Sequence

from commands.decisions import Decision, decided
from commands.messages import (
    CloseOrdering,
    RegisterCafe,
    SetAvailability,
    SetCombos,
    SetMenu,
    SetSchedule,
    UpdateCafe,
)
from commands.session import Handler, Session
from domain import cafe as cafe_model
from domain import cafe_days, menu
from domain import events as ev
from domain.cafe import CafeState


def _changed(cafe: CafeState, events: Sequence[ev.Event]) -> Decision[CafeState]:
    return decided(cafe, cafe.id, events, cafe_model.evolve)


def register_cafe(cmd: RegisterCafe, session: Session) -> Decision[CafeState]:
    cafe_id = session.new_id()
    event = cafe_model.register_cafe(
        cafe_id, cmd.name, cmd.timezone, cmd.currency, now=session.now, actor=cmd.actor
    )
    return Decision(cafe_model.evolve(None, event), [(cafe_id, [event])])


def update_cafe(cmd: UpdateCafe, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    events = cafe_model.update_cafe(
        cafe, name=cmd.name, active=cmd.active, now=session.now, actor=cmd.actor
    )
    return _changed(cafe, events)


def set_menu(cmd: SetMenu, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    dishes = [
        ev.Dish(
            id=d.id or session.new_id(),
            name=d.name,
            category=d.category,
            price=d.price,
            available=d.available,
            description=d.description,
            tags=tuple(d.tags),
        )
        for d in cmd.dishes
    ]
    extras = [
        ev.Extra(id=e.id or session.new_id(), name=e.name, price=e.price, available=e.available)
        for e in cmd.extras
    ]
    event = menu.set_menu(cafe, dishes, extras, now=session.now, actor=cmd.actor)
    return _changed(cafe, [event])


def set_availability(cmd: SetAvailability, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    event = menu.set_availability(
        cafe, cmd.item_id, cmd.available, now=session.now, actor=cmd.actor
    )
    return _changed(cafe, [event])


def set_combos(cmd: SetCombos, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    combos = [
        ev.Combo(
            id=c.id or session.new_id(), name=c.name, price=c.price, categories=tuple(c.categories)
        )
        for c in cmd.combos
    ]
    event = menu.set_combos(cafe, combos, now=session.now, actor=cmd.actor)
    return _changed(cafe, [event])


def set_schedule(cmd: SetSchedule, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    event = cafe_days.set_schedule(
        cafe,
        cmd.weekdays,
        cmd.cutoff,
        cmd.timezone,
        cmd.holidays,
        now=session.now,
        actor=cmd.actor,
    )
    return _changed(cafe, [event])


def close_ordering(cmd: CloseOrdering, session: Session) -> Decision[CafeState]:
    cafe = session.cafe(cmd.cafe_id)
    events = cafe_days.close_ordering(
        cafe, cmd.date, early=cmd.early, now=session.now, actor=cmd.actor
    )
    return _changed(cafe, events)


HANDLERS: dict[type, Handler] = {
    RegisterCafe: register_cafe,
    UpdateCafe: update_cafe,
    SetMenu: set_menu,
    SetAvailability: set_availability,
    SetCombos: set_combos,
    SetSchedule: set_schedule,
    CloseOrdering: close_ordering,
}
