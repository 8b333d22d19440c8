"""The write side's front door: ``execute`` a command message, or call one of the named
shortcuts below, each of which builds one message for the executor. Plus the few reads
of the write model that other processes need (a cafe, an order, an employee)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import msgspec

from commands import messages as m
from commands.executor import Executor, utc_now
from commands.store import EventStore
from domain import events as ev
from domain.cafe import CafeState
from domain.employee import EmployeeState
from domain.errors import DomainError, NotFound
from domain.link import LinkState
from domain.order import OrderRequest, OrderState

T = TypeVar("T")


class LunchService:
    def __init__(
        self,
        store: EventStore,
        *,
        now: Callable[[], dt.datetime] = utc_now,
        new_id: Callable[[], uuid.UUID] = uuid.uuid4,
        snapshot_every: int = 50,
    ) -> None:
        self.store = store
        self.executor = Executor(store, now=now, new_id=new_id, snapshot_every=snapshot_every)

    def close(self) -> None:
        """Stop the executor's threads; the store is closed by whoever opened it."""
        self.executor.close()

    def execute(self, command: m.Command[T]) -> m.Outcome[T]:
        return self.executor.execute(command)

    def execute_many(
        self, commands: Sequence[m.Command[Any]]
    ) -> list[m.Outcome[Any] | DomainError]:
        return self.executor.execute_many(commands)

    # --- reads of the write model ------------------------------------------------------

    def cafe(self, cafe_id: uuid.UUID) -> CafeState:
        return self.executor.session().cafe(cafe_id)

    def cafes(self, cafe_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, CafeState]:
        """Several cafes, their events read in one round trip; unknown ones are left out."""
        session = self.executor.session()
        session.prefetch([], cafes=cafe_ids)
        found = {}
        for cafe_id in dict.fromkeys(cafe_ids):
            try:
                found[cafe_id] = session.cafe(cafe_id)
            except NotFound:
                continue
        return found

    def order(self, oid: uuid.UUID) -> OrderState:
        state = self.executor.session().order(oid)
        if state is None:
            raise NotFound("no such order", order_id=str(oid))
        return state

    def employee(self, tg_id: int) -> EmployeeState | None:
        return self.executor.session().employee(tg_id)

    # --- shortcuts: one command each ---------------------------------------------------

    def register_cafe(
        self, name: str, timezone: str, currency: str, *, actor: str
    ) -> m.Outcome[CafeState]:
        return self.execute(
            m.RegisterCafe(name=name, timezone=timezone, currency=currency, actor=actor)
        )

    def update_cafe(
        self, cafe_id: uuid.UUID, *, name: str | None, active: bool | None, actor: str
    ) -> m.Outcome[CafeState]:
        return self.execute(m.UpdateCafe(cafe_id=cafe_id, name=name, active=active, actor=actor))

    def set_menu(
        self,
        cafe_id: uuid.UUID,
        dishes: Sequence[m.DishInput],
        extras: Sequence[m.ExtraInput],
        *,
        actor: str,
    ) -> m.Outcome[CafeState]:
        command = m.SetMenu(
            cafe_id=cafe_id, dishes=tuple(dishes), extras=tuple(extras), actor=actor
        )
        return self.execute(command)

    def set_availability(
        self, cafe_id: uuid.UUID, item_id: uuid.UUID, available: bool, *, actor: str
    ) -> m.Outcome[CafeState]:
        command = m.SetAvailability(
            cafe_id=cafe_id, item_id=item_id, available=available, actor=actor
        )
        return self.execute(command)

    def set_combos(
        self, cafe_id: uuid.UUID, combos: Sequence[m.ComboInput], *, actor: str
    ) -> m.Outcome[CafeState]:
        return self.execute(m.SetCombos(cafe_id=cafe_id, combos=tuple(combos), actor=actor))

    def set_schedule(
        self,
        cafe_id: uuid.UUID,
        weekdays: Sequence[int],
        cutoff: str,
        timezone: str | None = None,
        holidays: Sequence[dt.date] = (),
        *,
        actor: str,
    ) -> m.Outcome[CafeState]:
        command = m.SetSchedule(
            cafe_id=cafe_id,
            weekdays=tuple(weekdays),
            cutoff=cutoff,
            timezone=timezone,
            holidays=tuple(holidays),
            actor=actor,
        )
        return self.execute(command)

    def close_ordering(
        self, cafe_id: uuid.UUID, date: dt.date, *, actor: str, early: bool = True
    ) -> m.Outcome[CafeState]:
        return self.execute(m.CloseOrdering(cafe_id=cafe_id, date=date, early=early, actor=actor))

    def place_order(
        self, tg_id: int, request: OrderRequest, *, actor: str
    ) -> m.Outcome[OrderState]:
        return self.execute(m.PlaceOrder(tg_id=tg_id, request=request, actor=actor))

    def change_order(
        self, oid: uuid.UUID, request: OrderRequest, *, tg_id: int | None, actor: str
    ) -> m.Outcome[OrderState]:
        return self.execute(m.ChangeOrder(order_id=oid, request=request, tg_id=tg_id, actor=actor))

    def cancel_order(
        self, oid: uuid.UUID, *, tg_id: int | None, actor: str
    ) -> m.Outcome[OrderState]:
        return self.execute(m.CancelOrder(order_id=oid, tg_id=tg_id, actor=actor))

    def reject_order(self, oid: uuid.UUID, reason: str) -> m.Outcome[OrderState]:
        return self.execute(m.RejectOrder(order_id=oid, reason=reason, actor=ev.SYSTEM))

    def upsert_employee(  # noqa: PLR0913
        self,
        tg_id: int,
        *,
        name: str | None = None,
        office: str | None = None,
        role: str | None = None,
        active: bool | None = None,
        monthly_limit: int | msgspec.UnsetType | None = msgspec.UNSET,
        actor: str,
        must_exist: bool = False,
    ) -> m.Outcome[EmployeeState]:
        command = m.UpsertEmployee(
            tg_id=tg_id,
            name=name,
            office=office,
            role=role,
            active=active,
            monthly_limit=monthly_limit,
            must_exist=must_exist,
            actor=actor,
        )
        return self.execute(command)

    def import_employees(self, text: str, *, actor: str) -> m.Outcome[m.ImportResult]:
        return self.execute(m.ImportEmployees(text=text, actor=actor))

    def request_link(
        self, chat_id: int, chat_title: str, requested_by: int
    ) -> m.Outcome[LinkState]:
        command = m.RequestLink(
            chat_id=chat_id,
            chat_title=chat_title,
            requested_by=requested_by,
            actor=str(requested_by),
        )
        return self.execute(command)

    def approve_link(
        self, request_id: uuid.UUID, cafe_id: uuid.UUID, *, actor: str
    ) -> m.Outcome[LinkState]:
        return self.execute(m.ApproveLink(request_id=request_id, cafe_id=cafe_id, actor=actor))

    def reject_link(
        self, request_id: uuid.UUID, reason: str, *, actor: str
    ) -> m.Outcome[LinkState]:
        return self.execute(m.RejectLink(request_id=request_id, reason=reason, actor=actor))
