"""Every projection the projector runs, by name."""

from __future__ import annotations

from collections.abc import Iterable

from projections.engine.base import Projection
from projections.models import dispatches, employees, links, menus, orders, sheets

ALL: tuple[Projection, ...] = (
    menus.projection,
    orders.projection,
    employees.projection,
    sheets.projection,
    links.projection,
    dispatches.projection,
)
BY_NAME: dict[str, Projection] = {p.name: p for p in ALL}


class UnknownProjection(LookupError):
    pass


def select(chosen: Iterable[Projection | str] = ()) -> tuple[Projection, ...]:
    """The named projections (or given objects); all of them when none is given."""
    picked: list[Projection] = []
    for item in chosen:
        if isinstance(item, Projection):
            picked.append(item)
        elif item in BY_NAME:
            picked.append(BY_NAME[item])
        else:
            known = ", ".join(BY_NAME)
            raise UnknownProjection(f"unknown projection {item!r} (known: {known})")
    return tuple(picked) or ALL
