"""The write side's front door: ``execute`` a command message, or call one of the named
shortcuts (``commands.shortcuts``), each of which builds one message for the executor.
Plus the few reads of the write model that other processes need (a cafe, an order, an
employee)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from commands import messages as m
from commands.executor import Executor, utc_now
from commands.shortcuts import Shortcuts
from commands.store import EventStore
from domain.cafe import CafeState
from domain.employee import EmployeeState
from domain.errors import DomainError, NotFound
from domain.order import OrderState

T = TypeVar("T")


class LunchService(Shortcuts):
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
