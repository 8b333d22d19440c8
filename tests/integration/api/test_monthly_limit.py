"""The monthly limit holds when one employee places many orders at once."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Any

from litestar.testing import TestClient

from commands.service import LunchService
from commands.store import EventStore
from domain.errors import Conflict, LimitExceeded
from domain.order import OrderRequest
from tests.integration.api.conftest import EMPLOYEE, Clock, login, wait_for
from tests.integration.api.office import seed

# Monday 2 November 2026, 09:00 in Moscow: every weekday of the month is still open.
MONTH_START = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC)
FULL_PRICE = 45000
LIMIT = 10 * FULL_PRICE + 20000


def test_concurrent_placements_never_exceed_the_limit(
    client: TestClient[Any], store: EventStore, clock: Clock
) -> None:
    """Placements on every weekday of a month, all at once: the accepted total stays within
    the limit, and /api/me shows exactly that total."""
    office = seed(client)
    patched = client.patch(
        f"/api/employees/{EMPLOYEE}", json={"monthly_limit": LIMIT}, headers=office.manager
    )
    assert patched.status_code == 200, patched.text
    clock.instant = MONTH_START
    dates = [dt.date(2026, 11, d) for d in range(2, 31) if dt.date(2026, 11, d).weekday() < 5]
    dishes = {
        "salad": uuid.UUID(office.dishes["Оливье"]),
        "soup": uuid.UUID(office.dishes["Борщ"]),
        "main": uuid.UUID(office.dishes["Пельмени"]),
    }
    accepted: list[int] = []
    refused: list[Exception] = []
    lock = threading.Lock()
    start = threading.Barrier(len(dates))

    def place(date: dt.date) -> None:
        service = LunchService(store, now=clock.now)
        request = OrderRequest(
            cafe_id=uuid.UUID(office.cafe_id),
            date=date,
            combo_id=uuid.UUID(office.full),
            dishes=dishes,
        )
        start.wait()
        try:
            total = service.place_order(EMPLOYEE, request, actor=str(EMPLOYEE)).value.total
        except (LimitExceeded, Conflict) as e:
            with lock:
                refused.append(e)
        else:
            with lock:
                accepted.append(total)

    threads = [threading.Thread(target=place, args=(d,)) for d in dates]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(accepted) + len(refused) == len(dates)
    assert sum(accepted) <= LIMIT
    assert any(isinstance(e, LimitExceeded) for e in refused), "the limit refused some"
    me = login(client, EMPLOYEE)
    shown = wait_for(
        lambda: (
            body
            if (body := client.get("/api/me", headers=me).json())["orders_this_month"]
            == len(accepted)
            else None
        )
    )
    assert shown["spent_this_month"] == sum(accepted)
    assert shown["monthly_limit"] == LIMIT
