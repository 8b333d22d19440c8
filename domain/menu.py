"""A cafe's menu decisions: dishes and extras, combos, and the stop-list."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import msgspec

from domain import events as ev
from domain.cafe import CafeState, checked_name
from domain.dish_tags import check_tags
from domain.errors import InvalidRequest, NotFound
from domain.money import MAX_PRICE
from domain.text import clean

MAX_ITEMS = 300


def _price(value: int, field: str) -> int:
    if value < 0 or value > MAX_PRICE:
        raise InvalidRequest(f"{field} must be between 0 and {MAX_PRICE}", field=field)
    return value


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
            name=checked_name(d.name, "dishes.name"),
            category=checked_name(d.category, "dishes.category").lower(),
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
            e, name=checked_name(e.name, "extras.name"), price=_price(e.price, "extras.price")
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
        categories = tuple(checked_name(c, "combos.categories").lower() for c in combo.categories)
        if not categories or len(set(categories)) != len(categories):
            raise InvalidRequest(
                "a combo names one or more distinct categories", field="combos.categories"
            )
        checked.append(
            msgspec.structs.replace(
                combo,
                name=checked_name(combo.name, "combos.name"),
                price=_price(combo.price, "combos.price"),
                categories=categories,
            )
        )
    return ev.CombosSet(cafe_id=cafe.id, combos=tuple(checked), at=now, actor=actor)
