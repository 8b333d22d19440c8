"""An employee's month: what each of their orders that month counts toward the limit.

"Spent this month" has one definition everywhere: ``domain.money.SPENT_STATUS``.

The month is a consistency boundary of its own: every placement, change, cancellation
and rejection appends to it in the same atomic write as the order's event, so two
concurrent orders of one employee on different dates conflict and one re-decides with
the other counted.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from domain import events as ev
from domain.ids import month_spend_id
from domain.money import SPENT_STATUS


def counts_toward_limit(status: str) -> bool:
    """Only placed orders are spent; cancelled and rejected ones are not."""
    return status == SPENT_STATUS


def month_of(date: dt.date) -> dt.date:
    """The first day of the date's month, which names the month."""
    return date.replace(day=1)


class MonthSpend(msgspec.Struct, kw_only=True):
    tg_id: int
    month: dt.date
    amounts: dict[uuid.UUID, int] = msgspec.field(default_factory=dict)

    @property
    def id(self) -> uuid.UUID:
        return month_spend_id(self.tg_id, self.month)

    def spent(self, *, excluding: uuid.UUID | None = None) -> int:
        """This month's spend, leaving out one order (the one being decided)."""
        return sum(a for oid, a in self.amounts.items() if oid != excluding)


def evolve(state: MonthSpend | None, event: ev.Event) -> MonthSpend:
    assert isinstance(event, ev.SpendRecorded), type(event).__name__
    if state is None:
        state = MonthSpend(tg_id=event.tg_id, month=event.month)
    state.amounts[event.order_id] = event.amount
    return state


def record_spend(
    state: MonthSpend, order_id: uuid.UUID, status: str, total: int, *, now: dt.datetime, actor: str
) -> list[ev.Event]:
    """The spend event for an order that now has ``status`` and ``total``, if it changed."""
    amount = total if counts_toward_limit(status) else 0
    if state.amounts.get(order_id, 0) == amount:
        return []
    return [
        ev.SpendRecorded(
            tg_id=state.tg_id,
            month=state.month,
            order_id=order_id,
            amount=amount,
            at=now,
            actor=actor,
        )
    ]
