"""A small office for the notifier's tests: a linked cafe, employees and their orders,
written through the application service; and the stack (relay, projector) around them."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import Any

from commands.messages import ComboInput, DishInput, ExtraInput, RequestResend
from commands.service import LunchService
from commands.settings import Settings
from commands.store.postgres import PostgresEventStore
from domain.ids import link_request_id
from domain.order import ExtraLine, OrderRequest
from projections.engine.projector import run_projector
from projections.engine.relay_process import run_relay

MANAGER = "1001"
CHAT = -1001
PEOPLE = {2001: ("Ann <QA>", "HQ"), 2002: ("Борис 🍕", "R&D"), 2003: ("Chef & Co", "HQ")}


@dataclass
class Office:
    service: LunchService
    cafe_id: uuid.UUID
    date: dt.date

    def close(self) -> int:
        return self.service.close_ordering(self.cafe_id, self.date, actor=MANAGER).notification_id

    def resend(self) -> int:
        resend = RequestResend(cafe_id=self.cafe_id, date=self.date, actor=MANAGER)
        return self.service.execute(resend).notification_id


def build_office(service: LunchService, *, link: bool = True) -> Office:
    """A cafe open every day until 23:59 UTC with three orders for today; linked to CHAT."""
    date = dt.datetime.now(dt.UTC).date()
    cafe = service.register_cafe("Pushkin <Café>", "UTC", "RUB", actor=MANAGER).value
    menu = service.set_menu(
        cafe.id,
        [
            DishInput(name="Borscht", category="soup", price=20000),
            DishInput(name="Cutlet & mash", category="main", price=30000),
        ],
        [ExtraInput(name="Bread", price=2000)],
        actor=MANAGER,
    ).value
    combo = service.set_combos(
        cafe.id, [ComboInput(name="Lunch", price=45000, categories=["soup", "main"])], actor=MANAGER
    ).value.combos[0]
    service.set_schedule(cafe.id, list(range(7)), "23:59", actor=MANAGER)
    dishes = {d.category: d.id for d in menu.dishes}
    for tg_id, (name, office) in PEOPLE.items():
        service.upsert_employee(tg_id, name=name, office=office, actor=MANAGER)
        request = OrderRequest(
            cafe_id=cafe.id,
            date=date,
            combo_id=combo.id,
            dishes=dishes,
            extras=[ExtraLine(extra_id=menu.extras[0].id, qty=2)],
            note="no onions, <please>" if tg_id == 2001 else "",
        )
        service.place_order(tg_id, request, actor=str(tg_id))
    if link:
        service.request_link(CHAT, "Pushkin kitchen", 555)
        service.approve_link(link_request_id(CHAT), cafe.id, actor=MANAGER)
    return Office(service, cafe.id, date)


def settings_for(stack_env: dict[str, str], **extra: str) -> Settings:
    return Settings.from_env({**stack_env, **extra})


@contextlib.asynccontextmanager
async def running(*jobs: Awaitable[Any]) -> AsyncIterator[None]:
    """Run the jobs as tasks for the duration of the block, then cancel them."""
    tasks = [asyncio.ensure_future(job) for job in jobs]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def stack(settings: Settings, store: PostgresEventStore) -> list[Awaitable[Any]]:
    """The relay and the projector, as coroutines to run."""
    return [run_relay(settings, store, poll_interval=0.05), run_projector(settings)]
