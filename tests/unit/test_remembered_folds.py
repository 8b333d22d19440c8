"""A placement reads its month after the fold its process remembers, and decides as it
would on the whole stream, whatever other writers did to the month meanwhile."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

import msgspec
import pytest

from commands.messages import Outcome
from commands.preload import Snapshot
from commands.remembered_folds import RememberedFolds
from commands.service import LunchService
from domain import cafe as cafe_model
from domain.errors import LimitExceeded
from domain.events import AnyEvent
from domain.ids import month_spend_id, order_id
from domain.spend import MonthSpend
from tests.unit.test_group_reads import MONDAY, NOW, PRICE, CountingStore, office, place

MONTH = month_spend_id(2001, MONDAY.replace(day=1))


class MonthReadsStore(CountingStore):
    """Counts round trips, and records from which version each of them read the month."""

    def __init__(self) -> None:
        super().__init__()
        self.month_reads: list[int] = []

    def load_many(
        self, originator_ids: Sequence[uuid.UUID], *, after: Mapping[uuid.UUID, int] = {}
    ) -> dict[uuid.UUID, list[tuple[int, AnyEvent]]]:
        if MONTH in originator_ids:
            self.month_reads.append(after.get(MONTH, 0))
        return super().load_many(originator_ids, after=after)


def decoded(base: Snapshot | None) -> tuple[int, MonthSpend | None]:
    """A remembered fold's version and state (0, None: none)."""
    return (base[0], msgspec.json.decode(base[1], type=MonthSpend)) if base else (0, None)


def two_writers(
    limit: int | None,
) -> tuple[LunchService, LunchService, MonthReadsStore, cafe_model.CafeState]:
    """Two services on one store, as two api workers on one database, each with its own
    memory of months."""
    store = MonthReadsStore()
    first, cafe = office(people=1, limit=limit, store=store)
    return first, LunchService(store, now=lambda: NOW), store, cafe


def test_the_month_is_read_after_the_fold_remembered() -> None:
    service, _, store, cafe = two_writers(limit=None)
    for day in range(5):
        assert isinstance(service.execute(place(cafe, 2001, day)), Outcome)
    # The fifth read the month after the fold of its first three, which the fourth kept.
    assert store.month_reads[-1] == 3
    version, month = decoded(service.executor._month_folds.get(MONTH))
    assert version == 4
    assert month is not None
    assert month.spent() == 4 * PRICE


def test_another_writers_changes_count_against_the_limit() -> None:
    first, second, _, cafe = two_writers(limit=3 * PRICE)
    for day in range(3):
        assert isinstance(first.execute(place(cafe, 2001, day)), Outcome)
    with pytest.raises(LimitExceeded):
        second.execute(place(cafe, 2001, 3))
    second.cancel_order(order_id(2001, MONDAY), tg_id=2001, actor="2001")
    assert isinstance(second.execute(place(cafe, 2001, 3)), Outcome)
    # The first writer's month is now behind by a cancellation and a placement.
    with pytest.raises(LimitExceeded):
        first.execute(place(cafe, 2001, 4))
    day_3 = order_id(2001, MONDAY.replace(day=MONDAY.day + 3))
    first.cancel_order(day_3, tg_id=2001, actor="2001")
    assert isinstance(first.execute(place(cafe, 2001, 4)), Outcome)
    assert first.order(order_id(2001, MONDAY.replace(day=MONDAY.day + 4))).status == "placed"


def test_a_group_decides_on_the_remembered_month_plus_what_followed() -> None:
    first, second, store, cafe = two_writers(limit=3 * PRICE)
    first.execute(place(cafe, 2001, 0))
    first.execute(place(cafe, 2001, 1))  # remembers the month at version 1
    second.execute(place(cafe, 2001, 2))  # version 3, which the first has not seen
    other = first.execute_many([place(cafe, 2001, 3), place(cafe, 2001, 4)])
    assert store.month_reads[-1] == 1  # one group read, after the remembered fold
    assert all(isinstance(r, LimitExceeded) for r in other)


def test_an_older_fold_never_replaces_a_newer_one() -> None:
    folds = RememberedFolds(limit=2)
    newer = MonthSpend(tg_id=1, month=MONDAY.replace(day=1), amounts={uuid.uuid4(): 5})
    folds.remember(MONTH, 7, newer)
    folds.remember(MONTH, 6, MonthSpend(tg_id=1, month=MONDAY.replace(day=1)))
    assert decoded(folds.get(MONTH)) == (7, newer)
    folds.remember(uuid.uuid4(), 1, newer)
    folds.remember(uuid.uuid4(), 1, newer)  # past the limit: it starts over
    assert len(folds) == 1
