"""Read functions over the read models, for the API and the CLI (synchronous psycopg)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

import msgspec
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from projections.reads import reports, stats
from projections.reads.results import (
    CafeDaySheet,
    CafeSchedule,
    CafeView,
    DispatchView,
    EmployeeStats,
    EmployeeView,
    LinkRequestView,
    OrderView,
    PeriodReport,
)
from projections.reads.selects import (
    APPLIED,
    CAFE,
    DISPATCH,
    EMPLOYEE,
    IS_CLOSED,
    LINK,
    ONE_CAFE,
    ONE_EMPLOYEE,
    ONE_ORDER,
    ORDER,
    ORDERS_OF,
    SCHEDULE,
)
from projections.reads.waiting import wait_until

T = TypeVar("T")


class Queries:
    """Read functions; give it a pool, or a database URL to open a small one of its own."""

    def __init__(self, pool: ConnectionPool | str, *, max_size: int = 8) -> None:
        if isinstance(pool, str):
            pool = ConnectionPool(pool, min_size=1, max_size=max_size, open=True)
        self.pool = pool

    def close(self) -> None:
        self.pool.close()

    def _all(self, kind: type[T], query: str, params: Any = None) -> list[T]:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(query, params).fetchall()
        return [msgspec.convert(row, kind) for row in rows]

    def _one(self, kind: type[T], query: str, params: Any = None) -> T | None:
        found = self._all(kind, query, params)
        return found[0] if found else None

    # --- menus ---------------------------------------------------------------------------

    def cafes(self) -> list[CafeView]:
        return self._all(CafeView, f"{CAFE} ORDER BY name, cafe_id")

    def schedules(self) -> list[CafeSchedule]:
        """Every cafe's schedule, without the menus ``cafes`` reads."""
        return self._all(CafeSchedule, SCHEDULE)

    def cafe(self, cafe_id: uuid.UUID) -> CafeView | None:
        return self._one(CafeView, ONE_CAFE, [cafe_id])

    def is_closed(self, cafe_id: uuid.UUID, date: dt.date) -> bool:
        """Whether ordering for that cafe-day was closed (by the clock or a manager)."""
        with self.pool.connection() as conn:
            row = conn.execute(IS_CLOSED, [cafe_id, date]).fetchone()
        return row is not None

    def closed_on(self, date: dt.date) -> set[uuid.UUID]:
        """The cafes whose ordering for ``date`` is closed."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT cafe_id FROM read.menu_closures WHERE date = %s", [date]
            ).fetchall()
        return {row[0] for row in rows}

    # --- orders --------------------------------------------------------------------------

    def orders_of(
        self, tg_id: int, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> list[OrderView]:
        """An employee's orders between two dates (inclusive, either open), newest first."""
        return self._all(
            OrderView,
            ORDERS_OF,
            {"tg_id": tg_id, "from": date_from, "to": date_to},
        )

    def orders_on(self, date: dt.date, cafe_id: uuid.UUID | None = None) -> list[OrderView]:
        return self._all(
            OrderView,
            f"""{ORDER} WHERE date = %(date)s AND (%(cafe)s::uuid IS NULL OR cafe_id = %(cafe)s)
                ORDER BY cafe_name, placed_at, order_id""",
            {"date": date, "cafe": cafe_id},
        )

    def order(self, order_id: uuid.UUID) -> OrderView | None:
        return self._one(OrderView, ONE_ORDER, [order_id])

    # --- employees -----------------------------------------------------------------------

    def employee(self, tg_id: int) -> EmployeeView | None:
        return self._one(EmployeeView, ONE_EMPLOYEE, [tg_id])

    def employees(self) -> list[EmployeeView]:
        return self._all(EmployeeView, f"{EMPLOYEE} ORDER BY tg_id")

    # --- reports -------------------------------------------------------------------------

    def cafe_day_sheet(
        self, cafe_id: uuid.UUID, date: dt.date, *, as_of: dt.datetime | None = None
    ) -> CafeDaySheet | None:
        """The cafe-day's sheet as the read model holds it now (``as_of`` is only shown)."""
        with self.pool.connection() as conn:
            return reports.cafe_day_sheet(conn, cafe_id, date, as_of=as_of)

    def cafe_day_sheets(
        self, days: Sequence[reports.CafeDay]
    ) -> dict[reports.CafeDay, CafeDaySheet | None]:
        """Several cafe-days' sheets in one round trip each for cafes, days and orders."""
        with self.pool.connection() as conn:
            return reports.cafe_day_sheets(conn, days, as_of=None)

    def period_report(self, date_from: dt.date, date_to: dt.date) -> PeriodReport:
        with self.pool.connection() as conn:
            return reports.period_report(conn, date_from, date_to)

    # --- employee stats ------------------------------------------------------------------

    def employee_stats(
        self, tg_id: int, date_from: dt.date, date_to: dt.date, *, favourites: int = 5
    ) -> EmployeeStats:
        """Placed orders between two dates against the monthly limit; favourites up to then."""
        with self.pool.connection() as conn:
            return stats.employee_stats(conn, tg_id, date_from, date_to, favourites=favourites)

    # --- cafe link requests and dispatches -----------------------------------------------

    def link_requests(self, status: str | None = None) -> list[LinkRequestView]:
        """Link requests (of one status, or all), newest first."""
        return self._all(
            LinkRequestView,
            f"""{LINK} WHERE %(status)s::text IS NULL OR status = %(status)s
                ORDER BY requested_at DESC, id""",
            {"status": status},
        )

    def link_request(self, request_id: uuid.UUID) -> LinkRequestView | None:
        return self._one(LinkRequestView, f"{LINK} WHERE id = %s", [request_id])

    def dispatches(self, cafe_id: uuid.UUID, date: dt.date | None = None) -> list[DispatchView]:
        """A cafe's dispatch attempts (of one date, or all), newest first."""
        return self._all(
            DispatchView,
            f"""{DISPATCH} WHERE cafe_id = %(cafe)s
                AND (%(date)s::date IS NULL OR date = %(date)s)
                ORDER BY date DESC, notification_id DESC""",
            {"cafe": cafe_id, "date": date},
        )

    # --- positions -----------------------------------------------------------------------

    def applied(self, projection: str, key: str) -> int:
        """The last notification id the projection applied for this Kafka key (0: none)."""
        with self.pool.connection() as conn:
            row = conn.execute(APPLIED, [projection, key]).fetchone()
        return int(row[0]) if row else 0

    def applied_many(self, projection: str, keys: Sequence[str]) -> dict[str, int]:
        """``applied`` of several keys in one query (keys never applied: 0)."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                """SELECT key, notification_id FROM read.tracking
                WHERE projection = %s AND key = ANY(%s)""",
                [projection, list(keys)],
            ).fetchall()
        found = {key: int(nid) for key, nid in rows}
        return {key: found.get(key, 0) for key in keys}

    def wait_applied(
        self, projection: str, key: str, notification_id: int, timeout: float = 2.0
    ) -> bool:
        """Wait until the projection has applied ``notification_id`` for ``key`` (the event's
        Kafka key, ``domain.events.kafka_key``); False when the timeout passes first. The
        api's read-your-writes waits use ``AsyncReads.wait_applied``."""
        return wait_until(lambda: self.applied(projection, key) >= notification_id, timeout)
