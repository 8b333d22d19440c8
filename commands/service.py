"""The application service: every command is load → decide → save, retried on conflicts.

Synchronous (eventsourcing 9.x uses a psycopg pool); async callers run it in a thread.
The clock and id factory are injected so decisions stay deterministic in tests.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence

from commands.messages import ComboInput, DishInput, ExtraInput, ImportResult, Outcome
from commands.repository import Pending, Repository
from commands.store import EventStore
from domain import cafe as cafe_model
from domain import employee as employee_model
from domain import events as ev
from domain import link as link_model
from domain import order as order_model
from domain.errors import Forbidden, NotFound
from domain.ids import employee_id, link_request_id, order_id
from domain.roster import parse_roster


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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
        self.repo = Repository(store, snapshot_every=snapshot_every)
        self.now = now
        self.new_id = new_id
        self._known_cafes: list[uuid.UUID] = []
        self._cafes_seen_upto = 0

    # --- cafes -------------------------------------------------------------------------

    def register_cafe(
        self, name: str, timezone: str, currency: str, *, actor: str
    ) -> Outcome[cafe_model.CafeState]:
        cafe_id = self.new_id()
        event = cafe_model.register_cafe(
            cafe_id, name, timezone, currency, now=self.now(), actor=actor
        )
        nid = self.repo.save([Pending(cafe_id, 0, [event])])
        return Outcome(cafe_model.evolve(None, event), nid)

    def cafe(self, cafe_id: uuid.UUID) -> cafe_model.CafeState:
        return self.repo.load_cafe(cafe_id)[0]

    def _change_cafe(
        self,
        cafe_id: uuid.UUID,
        decide: Callable[[cafe_model.CafeState], Sequence[ev.Event]],
    ) -> Outcome[cafe_model.CafeState]:
        def attempt() -> Outcome[cafe_model.CafeState]:
            state, version = self.repo.load_cafe(cafe_id)
            events = list(decide(state))
            nid = self.repo.save([Pending(cafe_id, version, events)])
            for event in events:
                state = cafe_model.evolve(state, event)
            self.repo.maybe_snapshot(cafe_id, version, version + len(events))
            return Outcome(state, nid)

        return self.repo.retrying(attempt)

    def update_cafe(
        self, cafe_id: uuid.UUID, *, name: str | None, active: bool | None, actor: str
    ) -> Outcome[cafe_model.CafeState]:
        return self._change_cafe(
            cafe_id,
            lambda c: cafe_model.update_cafe(
                c, name=name, active=active, now=self.now(), actor=actor
            ),
        )

    def set_menu(
        self,
        cafe_id: uuid.UUID,
        dishes: Sequence[DishInput],
        extras: Sequence[ExtraInput],
        *,
        actor: str,
    ) -> Outcome[cafe_model.CafeState]:
        new_dishes = [
            ev.Dish(
                id=d.id or self.new_id(),
                name=d.name,
                category=d.category,
                price=d.price,
                available=d.available,
                description=d.description,
            )
            for d in dishes
        ]
        new_extras = [
            ev.Extra(id=e.id or self.new_id(), name=e.name, price=e.price, available=e.available)
            for e in extras
        ]
        return self._change_cafe(
            cafe_id,
            lambda c: [cafe_model.set_menu(c, new_dishes, new_extras, now=self.now(), actor=actor)],
        )

    def set_availability(
        self, cafe_id: uuid.UUID, item_id: uuid.UUID, available: bool, *, actor: str
    ) -> Outcome[cafe_model.CafeState]:
        return self._change_cafe(
            cafe_id,
            lambda c: [
                cafe_model.set_availability(c, item_id, available, now=self.now(), actor=actor)
            ],
        )

    def set_combos(
        self, cafe_id: uuid.UUID, combos: Sequence[ComboInput], *, actor: str
    ) -> Outcome[cafe_model.CafeState]:
        new = [
            ev.Combo(
                id=c.id or self.new_id(),
                name=c.name,
                price=c.price,
                categories=tuple(c.categories),
            )
            for c in combos
        ]
        return self._change_cafe(
            cafe_id, lambda c: [cafe_model.set_combos(c, new, now=self.now(), actor=actor)]
        )

    def set_schedule(
        self,
        cafe_id: uuid.UUID,
        weekdays: Sequence[int],
        cutoff: str,
        timezone: str | None = None,
        holidays: Sequence[dt.date] = (),
        *,
        actor: str,
    ) -> Outcome[cafe_model.CafeState]:
        return self._change_cafe(
            cafe_id,
            lambda c: [
                cafe_model.set_schedule(
                    c, weekdays, cutoff, timezone, holidays, now=self.now(), actor=actor
                )
            ],
        )

    def close_ordering(
        self, cafe_id: uuid.UUID, date: dt.date, *, actor: str, early: bool = True
    ) -> Outcome[cafe_model.CafeState]:
        return self._change_cafe(
            cafe_id,
            lambda c: cafe_model.close_ordering(c, date, early=early, now=self.now(), actor=actor),
        )

    def cafe_ids(self) -> list[uuid.UUID]:
        """Every registered cafe, read incrementally from the notification log."""
        while True:
            batch = self.store.read(self._cafes_seen_upto, 1000, topics=["Cafe.Registered"])
            if not batch:
                return list(self._known_cafes)
            self._known_cafes.extend(r.originator_id for r in batch)
            self._cafes_seen_upto = batch[-1].notification_id

    def close_due(self, grace: dt.timedelta) -> list[tuple[uuid.UUID, dt.date]]:
        """Record OrderingClosed for every cafe-day whose cutoff + grace has passed."""
        closed = []
        for cafe_id in self.cafe_ids():
            state, _ = self.repo.load_cafe(cafe_id)
            for date in cafe_model.due_closures(state, self.now(), grace):
                outcome = self._change_cafe(
                    cafe_id,
                    lambda c, d=date: cafe_model.close_ordering(  # type: ignore[misc]
                        c, d, early=False, now=self.now(), actor=ev.SYSTEM
                    ),
                )
                if outcome.notification_id:
                    closed.append((cafe_id, date))
        return closed

    # --- orders ------------------------------------------------------------------------

    def order(self, oid: uuid.UUID) -> order_model.OrderState:
        state, _ = self.repo.load(oid, order_model.evolve)
        if state is None:
            raise NotFound("no such order", order_id=str(oid))
        return state

    def order_events(self, oid: uuid.UUID) -> list[tuple[int, ev.AnyEvent]]:
        return self.store.load(oid)

    def _spent_elsewhere(self, tg_id: int, date: dt.date) -> int:
        """This month's placed orders of the employee, other than ``date``'s."""
        first = date.replace(day=1)
        days = [first + dt.timedelta(days=n) for n in range(31)]
        ids = [order_id(tg_id, d) for d in days if d.month == date.month and d != date]
        total = 0
        for events in self.store.load_many(ids).values():
            state = None
            for event in events:
                state = order_model.evolve(state, event)
            if state is not None and state.status == "placed":
                total += state.total
        return total

    def _employee(self, tg_id: int) -> employee_model.EmployeeState | None:
        return self.repo.load(employee_id(tg_id), employee_model.evolve)[0]

    def place_order(
        self, tg_id: int, request: order_model.OrderRequest, *, actor: str
    ) -> Outcome[order_model.OrderState]:
        oid = order_id(tg_id, request.date)

        def attempt() -> Outcome[order_model.OrderState]:
            existing, version = self.repo.load(oid, order_model.evolve)
            cafe, _ = self.repo.load_cafe(request.cafe_id)
            event = order_model.place_order(
                oid,
                existing,
                cafe,
                self._employee(tg_id),
                request,
                spent_elsewhere=self._spent_elsewhere(tg_id, request.date),
                now=self.now(),
                actor=actor,
            )
            nid = self.repo.save([Pending(oid, version, [event])])
            return Outcome(order_model.evolve(existing, event), nid)

        return self.repo.retrying(attempt)

    def _own(self, existing: order_model.OrderState | None, tg_id: int | None) -> None:
        """Employees touch only their own orders (tg_id None: a manager acting)."""
        if existing is None:
            raise NotFound("no such order")
        if tg_id is not None and existing.tg_id != tg_id:
            raise Forbidden("this is not your order")

    def change_order(
        self,
        oid: uuid.UUID,
        request: order_model.OrderRequest,
        *,
        tg_id: int | None,
        actor: str,
    ) -> Outcome[order_model.OrderState]:
        def attempt() -> Outcome[order_model.OrderState]:
            existing, version = self.repo.load(oid, order_model.evolve)
            self._own(existing, tg_id)
            assert existing is not None
            cafe, _ = self.repo.load_cafe(existing.cafe_id)
            event = order_model.change_order(
                existing,
                cafe,
                self._employee(existing.tg_id),
                request,
                spent_elsewhere=self._spent_elsewhere(existing.tg_id, existing.date),
                now=self.now(),
                actor=actor,
            )
            nid = self.repo.save([Pending(oid, version, [event])])
            return Outcome(order_model.evolve(existing, event), nid)

        return self.repo.retrying(attempt)

    def cancel_order(
        self, oid: uuid.UUID, *, tg_id: int | None, actor: str
    ) -> Outcome[order_model.OrderState]:
        def attempt() -> Outcome[order_model.OrderState]:
            existing, version = self.repo.load(oid, order_model.evolve)
            self._own(existing, tg_id)
            assert existing is not None
            cafe, _ = self.repo.load_cafe(existing.cafe_id)
            event = order_model.cancel_order(existing, cafe, now=self.now(), actor=actor)
            nid = self.repo.save([Pending(oid, version, [event])])
            return Outcome(order_model.evolve(existing, event), nid)

        return self.repo.retrying(attempt)

    def reject_order(self, oid: uuid.UUID, reason: str) -> Outcome[order_model.OrderState]:
        """Reject an order that reached the log after its cafe-day closed (idempotent)."""

        def attempt() -> Outcome[order_model.OrderState]:
            existing, version = self.repo.load(oid, order_model.evolve)
            if existing is None:
                raise NotFound("no such order", order_id=str(oid))
            events = order_model.reject_order(existing, reason, now=self.now(), actor=ev.SYSTEM)
            nid = self.repo.save([Pending(oid, version, events)])
            for event in events:
                existing = order_model.evolve(existing, event)
            return Outcome(existing, nid)

        return self.repo.retrying(attempt)

    # --- employees ---------------------------------------------------------------------

    def employee(self, tg_id: int) -> employee_model.EmployeeState | None:
        return self._employee(tg_id)

    def upsert_employee(  # noqa: PLR0913
        self,
        tg_id: int,
        *,
        name: str | None = None,
        office: str | None = None,
        role: str | None = None,
        active: bool | None = None,
        monthly_limit: int | object | None = employee_model._UNSET,
        actor: str,
        must_exist: bool = False,
    ) -> Outcome[employee_model.EmployeeState]:
        aggregate = employee_id(tg_id)

        def attempt() -> Outcome[employee_model.EmployeeState]:
            state, version = self.repo.load(aggregate, employee_model.evolve)
            if state is None and must_exist:
                raise NotFound("no such employee", tg_id=tg_id)
            events = employee_model.upsert_employee(
                state,
                tg_id=tg_id,
                name=name,
                office=office,
                role=role,
                active=active,
                monthly_limit=monthly_limit,
                now=self.now(),
                actor=actor,
            )
            nid = self.repo.save([Pending(aggregate, version, events)])
            for event in events:
                state = employee_model.evolve(state, event)
            assert state is not None
            return Outcome(state, nid)

        return self.repo.retrying(attempt)

    def import_employees(self, text: str, *, actor: str) -> Outcome[ImportResult]:
        """Apply the CSV roster: good lines kept, each bad line reported with its reason."""
        rows, errors = parse_roster(text)
        added = updated = 0
        last = 0
        for row in rows:
            existed = self._employee(row.tg_id) is not None
            outcome = self.upsert_employee(
                row.tg_id,
                name=row.name,
                office=row.office,
                role=row.role,
                monthly_limit=row.monthly_limit
                if row.monthly_limit is not None
                else employee_model._UNSET,
                actor=actor,
            )
            last = max(last, outcome.notification_id)
            if not existed:
                added += 1
            elif outcome.notification_id:
                updated += 1
        result = ImportResult(
            added=added,
            updated=updated,
            errors=[{"line": e.line, "reason": e.reason} for e in errors],
        )
        return Outcome(result, last)

    # --- cafe link requests ------------------------------------------------------------

    def request_link(
        self, chat_id: int, chat_title: str, requested_by: int
    ) -> Outcome[link_model.LinkState]:
        rid = link_request_id(chat_id)

        def attempt() -> Outcome[link_model.LinkState]:
            state, version = self.repo.load(rid, link_model.evolve)
            events = link_model.request_link(
                state,
                rid,
                chat_id=chat_id,
                chat_title=chat_title,
                requested_by=requested_by,
                now=self.now(),
                actor=str(requested_by),
            )
            nid = self.repo.save([Pending(rid, version, events)])
            for event in events:
                state = link_model.evolve(state, event)
            assert state is not None
            return Outcome(state, nid)

        return self.repo.retrying(attempt)

    def approve_link(
        self, request_id: uuid.UUID, cafe_id: uuid.UUID, *, actor: str
    ) -> Outcome[link_model.LinkState]:
        def attempt() -> Outcome[link_model.LinkState]:
            state, version = self.repo.load(request_id, link_model.evolve)
            cafe, cafe_version = self.repo.load_cafe(cafe_id)
            approved, linked = link_model.approve_link(state, cafe, now=self.now(), actor=actor)
            nid = self.repo.save(
                [
                    Pending(request_id, version, [approved]),
                    Pending(cafe_id, cafe_version, [linked]),
                ]
            )
            return Outcome(link_model.evolve(state, approved), nid)

        return self.repo.retrying(attempt)

    def reject_link(
        self, request_id: uuid.UUID, reason: str, *, actor: str
    ) -> Outcome[link_model.LinkState]:
        def attempt() -> Outcome[link_model.LinkState]:
            state, version = self.repo.load(request_id, link_model.evolve)
            event = link_model.reject_link(state, reason, now=self.now(), actor=actor)
            nid = self.repo.save([Pending(request_id, version, [event])])
            return Outcome(link_model.evolve(state, event), nid)

        return self.repo.retrying(attempt)
