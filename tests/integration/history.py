"""A small office history, built from events directly, for the read-side tests."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator

from domain import events as ev
from domain.ids import employee_id, order_id

T0 = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 23)
MANAGER = "1001"

Appendable = tuple[uuid.UUID, int, ev.Event]


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


class History:
    """Hands out aggregate versions, so each event can be appended as it is made."""

    def __init__(self) -> None:
        self.versions: dict[uuid.UUID, int] = defaultdict(int)
        self.clock = 0

    def __call__(self, originator: uuid.UUID, event: ev.Event) -> Appendable:
        self.versions[originator] += 1
        return originator, self.versions[originator], event

    def tick(self) -> dt.datetime:
        self.clock += 1
        return at(self.clock)


class Cafe:
    def __init__(self, name: str) -> None:
        self.id = uuid.uuid4()
        self.name = name
        self.soup = ev.Dish(id=uuid.uuid4(), name=f"{name} soup", category="soup", price=20000)
        self.main = ev.Dish(id=uuid.uuid4(), name=f"{name} main", category="main", price=30000)
        self.bread = ev.Extra(id=uuid.uuid4(), name="Bread", price=2000)
        self.combo = ev.Combo(
            id=uuid.uuid4(), name="Soup and main", price=45000, categories=("soup", "main")
        )


def open_cafe(h: History, cafe: Cafe) -> Iterator[Appendable]:
    yield h(
        cafe.id,
        ev.CafeRegistered(
            at=h.tick(), actor=MANAGER, cafe_id=cafe.id, name=cafe.name, timezone="Europe/Moscow"
        ),
    )
    yield h(
        cafe.id,
        ev.MenuSet(
            at=h.tick(),
            actor=MANAGER,
            cafe_id=cafe.id,
            dishes=(cafe.soup, cafe.main),
            extras=(cafe.bread,),
        ),
    )
    yield h(
        cafe.id, ev.CombosSet(at=h.tick(), actor=MANAGER, cafe_id=cafe.id, combos=(cafe.combo,))
    )
    yield h(
        cafe.id,
        ev.ScheduleSet(
            at=h.tick(),
            actor=MANAGER,
            cafe_id=cafe.id,
            weekdays=(0, 1, 2, 3, 4),
            cutoff="11:00",
            timezone="Europe/Moscow",
            holidays=(dt.date(2026, 12, 31),),
        ),
    )


def hire(h: History, tg_id: int, name: str) -> Appendable:
    return h(
        employee_id(tg_id),
        ev.EmployeeRegistered(at=h.tick(), actor=MANAGER, tg_id=tg_id, name=name, office="HQ"),
    )


def place(
    h: History, cafe: Cafe, tg_id: int, *, date: dt.date = DAY, extras: int = 0, note: str = ""
) -> Appendable:
    oid = order_id(tg_id, date)
    lines = (ev.OrderedExtra(extra_id=cafe.bread.id, name="Bread", qty=extras, price=2000),)
    return h(
        oid,
        ev.OrderPlaced(
            at=h.tick(),
            actor=str(tg_id),
            order_id=oid,
            tg_id=tg_id,
            cafe_id=cafe.id,
            cafe_name=cafe.name,
            date=date,
            combo_id=cafe.combo.id,
            combo_name=cafe.combo.name,
            combo_price=cafe.combo.price,
            dishes=(
                ev.OrderedDish(category="soup", dish_id=cafe.soup.id, name=cafe.soup.name),
                ev.OrderedDish(category="main", dish_id=cafe.main.id, name=cafe.main.name),
            ),
            extras=lines if extras else (),
            total=cafe.combo.price + 2000 * extras,
            currency="RUB",
            note=note,
            editable_until=dt.datetime.combine(date, dt.time(8, 0), tzinfo=dt.UTC),
        ),
    )


def cancel(h: History, cafe: Cafe, tg_id: int, date: dt.date = DAY) -> Appendable:
    oid = order_id(tg_id, date)
    return h(
        oid,
        ev.OrderCancelled(
            at=h.tick(), actor=str(tg_id), order_id=oid, tg_id=tg_id, cafe_id=cafe.id, date=date
        ),
    )


def office_history(h: History) -> tuple[list[Appendable], Cafe, Cafe]:
    """Two cafes, three employees, orders placed, changed, cancelled, a closure and more."""
    blini, pho = Cafe("Blini"), Cafe("Pho")
    events = [*open_cafe(h, blini), *open_cafe(h, pho)]
    events += [hire(h, 2001, "Anna"), hire(h, 2002, "Boris"), hire(h, 2003, "Vera")]
    events.append(place(h, blini, 2001, extras=1, note="no onion"))
    events.append(place(h, pho, 2002))
    events.append(place(h, blini, 2003))
    events.append(cancel(h, blini, 2003))
    events.append(place(h, blini, 2001, date=DAY + dt.timedelta(days=1), extras=2))
    events.append(
        h(
            blini.id,
            ev.AvailabilityChanged(
                at=h.tick(), actor=MANAGER, cafe_id=blini.id, item_id=blini.main.id, available=False
            ),
        )
    )
    events.append(
        h(
            pho.id,
            ev.ChatLinked(
                at=h.tick(), actor=MANAGER, cafe_id=pho.id, chat_id=-100500, request_id=uuid.uuid4()
            ),
        )
    )
    events.append(
        h(blini.id, ev.OrderingClosed(at=h.tick(), actor=ev.SYSTEM, cafe_id=blini.id, date=DAY))
    )
    events.append(
        h(
            employee_id(2002),
            ev.EmployeeUpdated(
                at=h.tick(), actor=MANAGER, tg_id=2002, name="Boris", office="Annex", role="manager"
            ),
        )
    )
    events.append(
        h(employee_id(2003), ev.EmployeeDeactivated(at=h.tick(), actor=MANAGER, tg_id=2003))
    )
    events.append(
        h(
            employee_id(2001),
            ev.MonthlyLimitSet(at=h.tick(), actor=MANAGER, tg_id=2001, monthly_limit=500000),
        )
    )
    return events, blini, pho
