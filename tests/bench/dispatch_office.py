"""A generated office for the dispatch bench: cafes linked to chats, each with orders for
today, appended straight to the event store (the write path is not what is measured)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from commands.store import EventStore
from domain import events as ev
from domain.ids import order_id

SYSTEM = "bench"


def chat_of(index: int) -> int:
    return -1_000_000 - index


def cafe_rows(
    index: int, orders: int, date: dt.date, now: dt.datetime
) -> tuple[uuid.UUID, list[tuple[uuid.UUID, int, ev.Event]]]:
    """One cafe, linked to ``chat_of(index)``, with ``orders`` employees' orders."""
    cafe_id = uuid.uuid4()
    name = f"Cafe {index}"
    soup = ev.Dish(id=uuid.uuid4(), name=f"Soup {index % 7}", category="soup", price=20000)
    main = ev.Dish(id=uuid.uuid4(), name=f"Main {index % 5}", category="main", price=30000)
    bread = ev.Extra(id=uuid.uuid4(), name="Bread", price=2000)
    combo = ev.Combo(id=uuid.uuid4(), name="Lunch", price=45000, categories=("soup", "main"))
    base: dict[str, Any] = {"at": now, "actor": SYSTEM, "cafe_id": cafe_id}
    cafe: list[ev.Event] = [
        ev.CafeRegistered(**base, name=name, timezone="UTC"),
        ev.MenuSet(**base, dishes=(soup, main), extras=(bread,)),
        ev.CombosSet(**base, combos=(combo,)),
        ev.ScheduleSet(**base, weekdays=tuple(range(7)), cutoff="23:59", timezone="UTC"),
        ev.ChatLinked(**base, chat_id=chat_of(index), request_id=uuid.uuid4()),
    ]
    rows = [(cafe_id, n, event) for n, event in enumerate(cafe, start=1)]
    for person in range(orders):
        tg_id = 100_000 + index * 1000 + person
        rows.append(
            (
                uuid.uuid4(),
                1,
                ev.EmployeeRegistered(
                    at=now, actor=SYSTEM, tg_id=tg_id, name=f"Employee {tg_id}", office="HQ"
                ),
            )
        )
        oid = order_id(tg_id, date)
        placed = ev.OrderPlaced(
            **base,
            order_id=oid,
            tg_id=tg_id,
            cafe_name=name,
            date=date,
            combo_id=combo.id,
            combo_name=combo.name,
            combo_price=combo.price,
            dishes=(
                ev.OrderedDish(category="soup", dish_id=soup.id, name=soup.name),
                ev.OrderedDish(category="main", dish_id=main.id, name=main.name),
            ),
            extras=(ev.OrderedExtra(extra_id=bread.id, name="Bread", qty=1, price=2000),),
            total=47000,
            currency="RUB",
            note="no onions" if person % 5 == 0 else "",
        )
        rows.append((oid, 1, placed))
    return cafe_id, rows


def close_rows(
    cafes: list[uuid.UUID], date: dt.date, now: dt.datetime
) -> list[tuple[uuid.UUID, int, ev.Event]]:
    """Each cafe's closure (version 6: after the five setup events)."""
    return [
        (c, 6, ev.OrderingClosed(at=now, actor=SYSTEM, cafe_id=c, date=date, early=True))
        for c in cafes
    ]


def build(
    store: EventStore, cafes: int, orders: int, date: dt.date
) -> tuple[list[uuid.UUID], list[int]]:
    """The cafes, and the notification id of each one's last event."""
    now = dt.datetime.now(dt.UTC)
    ids, last = [], []
    for index in range(cafes):
        cafe_id, rows = cafe_rows(index, orders, date, now)
        nids = store.append(rows)
        ids.append(cafe_id)
        last.append(max(nids))
    return ids, last
