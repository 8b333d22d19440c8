"""Fill an event store with a realistic office history, fast, for benchmarks.

Cafes with menus and daily closures, employees, and for each working day most employees
place an order; some change it and a few cancel. Events are appended in large batches.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator

from commands.store import EventStore
from domain import events as ev
from domain.ids import employee_id, order_id

T0 = dt.datetime(2025, 1, 6, 6, 0, tzinfo=dt.UTC)
Row = tuple[uuid.UUID, int, ev.Event]


def _cafe_rows(
    rng: random.Random, n: int
) -> tuple[list[Row], list[tuple[uuid.UUID, ev.Combo, list[ev.Dish]]]]:
    rows: list[Row] = []
    cafes = []
    for c in range(n):
        cafe_id = uuid.UUID(int=rng.getrandbits(128))
        dishes = [
            ev.Dish(
                id=uuid.UUID(int=rng.getrandbits(128)),
                name=f"{cat} {i}",
                category=cat,
                price=10000 + 500 * i,
            )
            for cat in ("salad", "soup", "main")
            for i in range(4)
        ]
        combo = ev.Combo(
            id=uuid.UUID(int=rng.getrandbits(128)),
            name="Full",
            price=45000,
            categories=("salad", "soup", "main"),
        )
        for version, event in enumerate(
            [
                ev.CafeRegistered(
                    cafe_id=cafe_id, name=f"Cafe {c}", timezone="Europe/Moscow", at=T0, actor="1"
                ),
                ev.MenuSet(cafe_id=cafe_id, dishes=tuple(dishes), extras=(), at=T0, actor="1"),
                ev.CombosSet(cafe_id=cafe_id, combos=(combo,), at=T0, actor="1"),
                ev.ScheduleSet(
                    cafe_id=cafe_id,
                    weekdays=(0, 1, 2, 3, 4),
                    cutoff="11:00",
                    timezone="Europe/Moscow",
                    at=T0,
                    actor="1",
                ),
            ],
            start=1,
        ):
            rows.append((cafe_id, version, event))
        cafes.append((cafe_id, combo, dishes))
    return rows, cafes


def history(
    total: int, *, employees: int = 500, cafes: int = 5, seed: int = 1
) -> Iterator[list[Row]]:
    """Batches of rows whose events add up to about ``total``."""
    rng = random.Random(seed)
    rows, cafe_list = _cafe_rows(rng, cafes)
    for tg_id in range(10_000, 10_000 + employees):
        rows.append(
            (
                employee_id(tg_id),
                1,
                ev.EmployeeRegistered(tg_id=tg_id, name=f"E{tg_id}", office="HQ", at=T0, actor="1"),
            )
        )
    cafe_versions = {c[0]: 4 for c in cafe_list}
    produced = len(rows)
    yield rows
    day = T0.date()
    while produced < total:
        rows = []
        at = dt.datetime.combine(day, dt.time(6, 0), tzinfo=dt.UTC)
        for tg_id in range(10_000, 10_000 + employees):
            if rng.random() < 0.15:
                continue
            cafe_id, combo, dishes = rng.choice(cafe_list)
            oid = order_id(tg_id, day)
            picked = tuple(
                ev.OrderedDish(category=cat, dish_id=d.id, name=d.name)
                for cat in combo.categories
                for d in [rng.choice([x for x in dishes if x.category == cat])]
            )
            fields = {
                "order_id": oid,
                "tg_id": tg_id,
                "cafe_id": cafe_id,
                "cafe_name": "Cafe",
                "date": day,
                "combo_id": combo.id,
                "combo_name": combo.name,
                "combo_price": combo.price,
                "dishes": picked,
                "extras": (),
                "total": combo.price,
                "currency": "RUB",
                "at": at,
                "actor": str(tg_id),
            }
            rows.append((oid, 1, ev.OrderPlaced(**fields)))  # type: ignore[arg-type]
            version = 1
            if rng.random() < 0.3:
                version += 1
                rows.append((oid, version, ev.OrderChanged(**fields)))  # type: ignore[arg-type]
            if rng.random() < 0.05:
                version += 1
                rows.append(
                    (
                        oid,
                        version,
                        ev.OrderCancelled(
                            order_id=oid,
                            tg_id=tg_id,
                            cafe_id=cafe_id,
                            date=day,
                            at=at,
                            actor=str(tg_id),
                        ),
                    )
                )
        for cafe_id, version in list(cafe_versions.items()):
            cafe_versions[cafe_id] = version + 1
            rows.append(
                (
                    cafe_id,
                    cafe_versions[cafe_id],
                    ev.OrderingClosed(cafe_id=cafe_id, date=day, at=at, actor=ev.SYSTEM),
                )
            )
        produced += len(rows)
        yield rows
        day += dt.timedelta(days=1)


def fill(store: EventStore, total: int, *, batch: int = 5000, employees: int = 500) -> int:
    """Append about ``total`` events; returns the count appended."""
    count = 0
    pending: list[Row] = []
    for rows in history(total, employees=employees):
        pending.extend(rows)
        if len(pending) >= batch:
            store.append(pending)
            count += len(pending)
            pending = []
    if pending:
        store.append(pending)
        count += len(pending)
    return count
