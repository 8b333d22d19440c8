"""The api's hot reads on the event loop: an async psycopg pool, no worker thread per read.

Every request asks the directory who the caller is, and most ask a read model or a
projection's position; these run here, on autocommit connections (one round trip per
query, no BEGIN/COMMIT). Everything else stays on the synchronous ``Queries``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from typing import Any, TypeVar

import msgspec
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from projections.reads.queries import CAFE_SQL, EMPLOYEE_SQL, ORDER_SQL, ORDERS_OF_SQL
from projections.reads.results import CafeView, EmployeeView, OrderView

T = TypeVar("T")
POOL_SIZE = 8


async def _autocommit(conn: AsyncConnection[Any]) -> None:
    await conn.set_autocommit(True)


class AsyncQueries:
    """The hot read functions over an async pool opened inside the running event loop."""

    def __init__(self, conninfo: str, *, max_size: int = POOL_SIZE, timeout: float = 30.0) -> None:
        self.conninfo = conninfo
        self.max_size = max_size
        self.timeout = timeout  # how long a read waits for a connection before failing
        self._pool: AsyncConnectionPool | None = None

    async def open(self) -> None:
        """Open the pool (connections come up in the background); no-op without a URL."""
        if self.conninfo and self._pool is None:
            self._pool = AsyncConnectionPool(
                self.conninfo,
                min_size=1,
                max_size=self.max_size,
                configure=_autocommit,
                timeout=self.timeout,
                open=False,
            )
            await self._pool.open(wait=False)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    @property
    def pool(self) -> AsyncConnectionPool:
        if self._pool is None:
            raise RuntimeError("the async read pool is not open (app startup opens it)")
        return self._pool

    async def _all(self, kind: type[T], query: str, params: Any = None) -> list[T]:
        async with self.pool.connection() as conn:
            cur = conn.cursor(row_factory=dict_row)
            rows = await (await cur.execute(query, params)).fetchall()
        return [msgspec.convert(row, kind) for row in rows]

    async def _one(self, kind: type[T], query: str, params: Any = None) -> T | None:
        found = await self._all(kind, query, params)
        return found[0] if found else None

    async def _scalar(self, query: str, params: Any) -> Any:
        async with self.pool.connection() as conn:
            row = await (await conn.execute(query, params)).fetchone()
        return row[0] if row else None

    async def employee(self, tg_id: int) -> EmployeeView | None:
        return await self._one(EmployeeView, f"{EMPLOYEE_SQL} WHERE tg_id = %s", [tg_id])

    async def cafes(self) -> list[CafeView]:
        return await self._all(CafeView, f"{CAFE_SQL} ORDER BY name, cafe_id")

    async def cafe(self, cafe_id: uuid.UUID) -> CafeView | None:
        return await self._one(CafeView, f"{CAFE_SQL} WHERE cafe_id = %s", [cafe_id])

    async def is_closed(self, cafe_id: uuid.UUID, date: dt.date) -> bool:
        query = "SELECT 1 FROM read.menu_closures WHERE cafe_id = %s AND date = %s"
        return await self._scalar(query, [cafe_id, date]) is not None

    async def closed_on(self, date: dt.date) -> set[uuid.UUID]:
        async with self.pool.connection() as conn:
            query = "SELECT cafe_id FROM read.menu_closures WHERE date = %s"
            rows = await (await conn.execute(query, [date])).fetchall()
        return {row[0] for row in rows}

    async def orders_of(
        self, tg_id: int, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> list[OrderView]:
        """An employee's orders between two dates (inclusive, either open), newest first."""
        params = {"tg_id": tg_id, "from": date_from, "to": date_to}
        return await self._all(OrderView, ORDERS_OF_SQL, params)

    async def order(self, order_id: uuid.UUID) -> OrderView | None:
        return await self._one(OrderView, f"{ORDER_SQL} WHERE order_id = %s", [order_id])

    async def applied(self, projection: str, key: str) -> int:
        """The last notification id the projection applied for this Kafka key (0: none)."""
        query = "SELECT notification_id FROM read.tracking WHERE projection = %s AND key = %s"
        found = await self._scalar(query, [projection, key])
        return int(found) if found is not None else 0

    async def wait_applied(
        self, projection: str, key: str, notification_id: int, within: float = 2.0
    ) -> bool:
        """``Queries.wait_applied`` without holding a thread: polls, backing off to 50 ms."""
        deadline = time.monotonic() + within
        delay = 0.005
        while await self.applied(projection, key) < notification_id:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            await asyncio.sleep(min(delay, left))
            delay = min(delay * 2, 0.05)
        return True
