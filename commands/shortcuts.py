"""The write side's named shortcuts: each builds one command message and executes it.
``commands.service.LunchService`` provides ``execute``."""

from __future__ import annotations

import abc
import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TypeVar

import msgspec

from commands import messages as m
from domain import events as ev
from domain.cafe import CafeState
from domain.employee import EmployeeState
from domain.link import LinkState
from domain.order import OrderRequest, OrderState

T = TypeVar("T")


class Shortcuts(abc.ABC):
    @abc.abstractmethod
    def execute(self, command: m.Command[T]) -> m.Outcome[T]: ...

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
