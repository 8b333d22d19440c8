"""An office whose read models hold a cafe, a roster and a few days of orders, built through
the real service and projections (no Kafka: events are delivered as the consumer would)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from psycopg_pool import ConnectionPool

from commands.messages import ComboInput, DishInput
from commands.service import LunchService
from commands.store import EventStore
from domain.order import OrderRequest
from tests.integration.read_side import deliver

TIMEZONE = "Europe/Moscow"
ACTIVE = (2001, 2002, 2003)
IDLE = 2004  # in the roster, never ordered: not active
MENU = {
    "salad": ("Оливье", "Цезарь"),
    "soup": ("Борщ", "Солянка"),
    "main": ("Пельмени", "Вареники", "Котлета", "Плов"),
}
# What each active employee had on each of the last days (the same main every day for 2001).
MAINS = {2001: ("Пельмени",) * 5, 2002: ("Плов", "Котлета", "Плов", "Котлета", "Плов")}


class Clock:
    def __init__(self, instant: dt.datetime) -> None:
        self.instant = instant

    def now(self) -> dt.datetime:
        return self.instant


@dataclass(frozen=True)
class Office:
    cafe_id: str
    dishes: dict[str, str]  # name -> id


def roster(active: tuple[int, ...]) -> str:
    return "tg_id,name,office\n" + "".join(f"{t},Сотрудник {t},HQ\n" for t in (*active, IDLE))


def build_office(
    store: EventStore,
    pool: ConnectionPool,
    now: dt.datetime,
    active: tuple[int, ...] = ACTIVE,
    days: int = 5,
) -> Office:
    """A cafe serving every day until 23:59 in Moscow and ``days`` days of orders before today
    by the ``active`` employees."""
    zone = ZoneInfo(TIMEZONE)
    today = now.astimezone(zone).date()
    clock = Clock(dt.datetime.combine(today - dt.timedelta(days=6), dt.time(9), zone))
    service = LunchService(store, now=clock.now, new_id=uuid.uuid4)
    cafe = service.register_cafe("Уют", TIMEZONE, "RUB", actor="system").value
    dishes = [
        DishInput(name=name, category=category, price=10000)
        for category, names in MENU.items()
        for name in names
    ]
    menu = service.set_menu(cafe.id, dishes, [], actor="system").value
    combos = [
        ComboInput(name="Полный", price=45000, categories=["salad", "soup", "main"]),
        ComboInput(name="Лёгкий", price=35000, categories=["salad", "main"]),
    ]
    light = service.set_combos(cafe.id, combos, actor="system").value.combos[1].id
    service.set_schedule(cafe.id, range(7), "23:59", actor="system")
    service.import_employees(roster(active), actor="system")
    ids = {d.name: d.id for d in menu.dishes}
    for days_ago in range(days, 0, -1):
        date = today - dt.timedelta(days=days_ago)
        clock.instant = dt.datetime.combine(date, dt.time(9), zone)
        for tg_id in active:
            main = MAINS.get(tg_id, ("Котлета",) * 5)[days_ago - 1]
            request = OrderRequest(
                cafe_id=cafe.id,
                date=date,
                combo_id=light,
                dishes={"salad": ids["Оливье"], "main": ids[main]},
            )
            service.place_order(tg_id, request, actor=str(tg_id))
    deliver(pool, store.read(0, 10_000))
    return Office(cafe_id=str(cafe.id), dishes={n: str(i) for n, i in ids.items()})
