"""Order handlers: place, change, cancel, reject. Each writes the order's event and the
employee-month's spend in one append, so concurrent orders of one employee conflict."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from commands.decisions import Decision, applied
from commands.messages import CancelOrder, ChangeOrder, PlaceOrder, RejectOrder
from commands.preload import Reads, ReadsOf
from commands.session import Handler, Session
from domain import events as ev
from domain import order as order_model
from domain import spend as spend_model
from domain.errors import Forbidden, NotFound
from domain.ids import employee_id, month_spend_id, order_id
from domain.order import OrderState
from domain.spend import MonthSpend


def _month(session: Session, tg_id: int, date: dt.date) -> tuple[MonthSpend, list[ev.Event]]:
    """The employee's month (counting its opening), and the events that open its stream
    if it has none yet.

    Orders recorded before months had streams of their own are counted once, when the
    month's stream is first written, from the orders of that month.
    """
    month = session.month_spend(tg_id, date)
    if session.versions[month.id]:
        return month, []
    opening: list[ev.Event] = []
    orders = _days_orders(tg_id, date)
    histories = session.histories(orders)  # one read, not one per day
    for oid in orders:
        history = [e for _, e in histories.get(oid, ())]
        order = applied(None, history, order_model.evolve)
        if order is not None:
            events = spend_model.record_spend(
                month, oid, order.status, order.total, now=session.now, actor=ev.SYSTEM
            )
            month = applied(month, events, spend_model.evolve) or month
            opening += events
    return month, opening


def _days_orders(tg_id: int, date: dt.date) -> list[uuid.UUID]:
    """The employee's orders on each day of ``date``'s month."""
    first = spend_model.month_of(date)
    days = [first + dt.timedelta(days=d) for d in range(31)]
    return [order_id(tg_id, on) for on in days if on.month == first.month]


def _written(
    session: Session,
    before: OrderState | None,
    events: Sequence[ev.Event],
    month: tuple[MonthSpend, list[ev.Event]],
    actor: str,
) -> Decision[OrderState]:
    """The order's events and, in the same write, what its month (as read for the
    decision, so a concurrent change to it conflicts) now counts of it."""
    order = applied(before, events, order_model.evolve)
    assert order is not None
    month_spend, opening = month
    spend = spend_model.record_spend(
        month_spend, order.id, order.status, order.total, now=session.now, actor=actor
    )
    return Decision(order, [(order.id, events), (month_spend.id, [*opening, *spend])])


def _own(existing: OrderState | None, tg_id: int | None) -> OrderState:
    """Employees touch only their own orders (tg_id None: a manager acting)."""
    if existing is None:
        raise NotFound("no such order")
    if tg_id is not None and existing.tg_id != tg_id:
        raise Forbidden("this is not your order")
    return existing


def place_order_reads(cmd: PlaceOrder, opened: set[uuid.UUID]) -> Reads:
    """Everything a placement reads, in one round trip instead of one per aggregate; a
    month this process has not seen written may be new, and its opening read every day."""
    oid = order_id(cmd.tg_id, cmd.request.date)
    month_id = month_spend_id(cmd.tg_id, spend_model.month_of(cmd.request.date))
    opening = [] if month_id in opened else _days_orders(cmd.tg_id, cmd.request.date)
    return Reads([oid, employee_id(cmd.tg_id)], [cmd.request.cafe_id], opening, [month_id])


def place_order(cmd: PlaceOrder, session: Session) -> Decision[OrderState]:
    session.read(place_order_reads(cmd, session.opened))
    oid = order_id(cmd.tg_id, cmd.request.date)
    existing = session.order(oid)
    cafe = session.cafe(cmd.request.cafe_id)
    month = _month(session, cmd.tg_id, cmd.request.date)
    event = order_model.place_order(
        oid,
        existing,
        cafe,
        session.employee(cmd.tg_id),
        cmd.request,
        spent_elsewhere=month[0].spent(excluding=oid),
        now=session.now,
        actor=cmd.actor,
    )
    return _written(session, existing, [event], month, cmd.actor)


def change_order(cmd: ChangeOrder, session: Session) -> Decision[OrderState]:
    existing = _own(session.order(cmd.order_id), cmd.tg_id)
    cafe = session.cafe(existing.cafe_id)
    month = _month(session, existing.tg_id, existing.date)
    event = order_model.change_order(
        existing,
        cafe,
        session.employee(existing.tg_id),
        cmd.request,
        spent_elsewhere=month[0].spent(excluding=existing.id),
        now=session.now,
        actor=cmd.actor,
    )
    return _written(session, existing, [event], month, cmd.actor)


def cancel_order(cmd: CancelOrder, session: Session) -> Decision[OrderState]:
    existing = _own(session.order(cmd.order_id), cmd.tg_id)
    cafe = session.cafe(existing.cafe_id)
    month = _month(session, existing.tg_id, existing.date)
    event = order_model.cancel_order(existing, cafe, now=session.now, actor=cmd.actor)
    return _written(session, existing, [event], month, cmd.actor)


def reject_order(cmd: RejectOrder, session: Session) -> Decision[OrderState]:
    """Reject an order that reached the log after its cafe-day closed (idempotent)."""
    existing = session.order(cmd.order_id)
    if existing is None:
        raise NotFound("no such order", order_id=str(cmd.order_id))
    events = order_model.reject_order(existing, cmd.reason, now=session.now, actor=cmd.actor)
    if not events:
        return Decision(existing)
    month = _month(session, existing.tg_id, existing.date)
    return _written(session, existing, events, month, cmd.actor)


READS: dict[type, ReadsOf] = {PlaceOrder: place_order_reads}

HANDLERS: dict[type, Handler] = {
    PlaceOrder: place_order,
    ChangeOrder: change_order,
    CancelOrder: cancel_order,
    RejectOrder: reject_order,
}
