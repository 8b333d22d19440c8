"""Pricing an order from the cafe's menu as it is now: the combo's rules and the total."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence

import msgspec

from domain import events as ev
from domain.cafe import CafeState
from domain.errors import DishUnavailable, InvalidCombo, InvalidRequest
from domain.money import MAX_EXTRA_QTY

MAX_EXTRAS = 20


class ExtraLine(msgspec.Struct, frozen=True):
    extra_id: uuid.UUID
    qty: int


class OrderRequest(msgspec.Struct, frozen=True, kw_only=True):
    cafe_id: uuid.UUID
    date: dt.date
    combo_id: uuid.UUID
    dishes: Mapping[str, uuid.UUID]
    extras: Sequence[ExtraLine] = ()
    note: str = ""


class Priced(msgspec.Struct, frozen=True, kw_only=True):
    combo: ev.Combo
    dishes: tuple[ev.OrderedDish, ...]
    extras: tuple[ev.OrderedExtra, ...]
    total: int


def price_order(cafe: CafeState, request: OrderRequest) -> Priced:
    """Check the combo rules against the cafe's menu now, and compute the total."""
    combo = cafe.combo(request.combo_id)
    if combo is None:
        raise InvalidCombo("no such combo in this cafe", field="combo_id")
    dishes = _pick_dishes(cafe, combo, request.dishes)
    extras = _pick_extras(cafe, request.extras)
    total = combo.price + sum(e.price * e.qty for e in extras)
    return Priced(combo=combo, dishes=dishes, extras=extras, total=total)


def _pick_dishes(
    cafe: CafeState, combo: ev.Combo, chosen: Mapping[str, uuid.UUID]
) -> tuple[ev.OrderedDish, ...]:
    """Exactly one available dish of this cafe for each category of the combo."""
    by_category = {k.lower(): v for k, v in chosen.items()}
    if set(by_category) != set(combo.categories) or len(chosen) != len(combo.categories):
        raise InvalidCombo(
            "choose exactly one dish for each category of the combo",
            categories=list(combo.categories),
        )
    dishes = []
    for category in combo.categories:
        dish = cafe.dish(by_category[category])
        if dish is None or dish.category != category:
            raise InvalidCombo(
                f"no such {category} dish in this cafe", dish_id=str(by_category[category])
            )
        if not dish.available:
            raise DishUnavailable(f"{dish.name} is not available", dish_id=str(dish.id))
        dishes.append(ev.OrderedDish(category=category, dish_id=dish.id, name=dish.name))
    return tuple(dishes)


def _pick_extras(cafe: CafeState, lines: Sequence[ExtraLine]) -> tuple[ev.OrderedExtra, ...]:
    """Each extra at most once, 1..10 of it, available in this cafe."""
    if len(lines) > MAX_EXTRAS:
        raise InvalidRequest(f"at most {MAX_EXTRAS} extra lines", field="extras")
    if len({line.extra_id for line in lines}) != len(lines):
        raise InvalidRequest("each extra at most once", field="extras")
    extras = []
    for line in lines:
        if not 1 <= line.qty <= MAX_EXTRA_QTY:
            raise InvalidRequest(f"extra qty is 1..{MAX_EXTRA_QTY}", field="extras.qty")
        extra = cafe.extra(line.extra_id)
        if extra is None:
            raise InvalidRequest("no such extra in this cafe", extra_id=str(line.extra_id))
        if not extra.available:
            raise DishUnavailable(f"{extra.name} is not available", extra_id=str(extra.id))
        extras.append(
            ev.OrderedExtra(extra_id=extra.id, name=extra.name, qty=line.qty, price=extra.price)
        )
    return tuple(extras)
