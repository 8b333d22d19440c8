"""The API's hot reads on its own event loop: an async psycopg pool, no thread hop.

Every request looks up its caller in the directory, and the menu and my-orders routes read
one or two rows more; running those on the loop spares each a worker thread's round trip
and the GIL hand-offs that come with it. The rest of the reads stay in
``projections.reads.queries`` (synchronous, run in a worker thread).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TypeVar

import msgspec
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from projections.reads.results import CafeView, EmployeeView, OrderView
from projections.reads.selects import (
    APPLIED,
    CHANGED_SINCE,
    IS_CLOSED,
    ONE_CAFE,
    ONE_EMPLOYEE,
    ONE_ORDER,
    ORDERS_OF_AT,
    POSITION,
    POSITIONS,
)
from projections.reads.waiting import wait_until_async

T = TypeVar("T")
Positions = dict[str, int]
# Whose orders changed: (tg_id, cafe key, the newest change's notification id).
Changes = list[tuple[int, str, int]]

MAX_SIZE = 8


class AsyncReads:
    """Opened by ``open`` on the serving loop and closed by ``close``; ``open`` after a
    ``close`` starts a new pool (an app's lifespan may run more than once in tests)."""

    def __init__(self, conninfo: str, *, max_size: int = MAX_SIZE) -> None:
        self.conninfo = conninfo
        self.max_size = max_size
        self._pool: AsyncConnectionPool | None = None

    async def open(self) -> None:
        # Autocommit: a read is one statement, so one round trip, not BEGIN, SELECT, COMMIT.
        pool = AsyncConnectionPool(
            self.conninfo,
            min_size=1,
            max_size=self.max_size,
            kwargs={"autocommit": True},
            open=False,
        )
        await pool.open(wait=False)
        self._pool = pool

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    @property
    def pool(self) -> AsyncConnectionPool:
        if self._pool is None:
            raise RuntimeError("the read pool is not open (the app has not started)")
        return self._pool

    async def _all(self, kind: type[T], query: str, params: Any) -> list[T]:
        async with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(query, params)
            rows = await cur.fetchall()
        return [msgspec.convert(row, kind) for row in rows]

    async def _one(self, kind: type[T], query: str, params: Any) -> T | None:
        found = await self._all(kind, query, params)
        return found[0] if found else None

    async def _scalar(self, query: str, params: Any) -> Any:
        async with self.pool.connection() as conn:
            row = await (await conn.execute(query, params)).fetchone()
        return None if row is None else row[0]

    async def employee(self, tg_id: int) -> EmployeeView | None:
        return await self._one(EmployeeView, ONE_EMPLOYEE, [tg_id])

    async def cafe(self, cafe_id: uuid.UUID) -> CafeView | None:
        return await self._one(CafeView, ONE_CAFE, [cafe_id])

    async def is_closed(self, cafe_id: uuid.UUID, date: dt.date) -> bool:
        return await self._scalar(IS_CLOSED, [cafe_id, date]) is not None

    async def orders_at(
        self, tg_id: int, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> tuple[Positions, list[OrderView]]:
        """The employee's orders, newest first, and the orders projection's position per
        Kafka key that they are as of."""
        params = {"tg_id": tg_id, "from": date_from, "to": date_to}
        async with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(ORDERS_OF_AT, params)
            rows = await cur.fetchall()
        keys, ids = rows[0].pop("applied_keys") or [], rows[0].pop("applied_ids") or []
        orders = [msgspec.convert(row, OrderView) for row in rows if row["id"] is not None]
        return dict(zip(keys, ids, strict=True)), orders

    async def order(self, order_id: uuid.UUID) -> OrderView | None:
        return await self._one(OrderView, ONE_ORDER, [order_id])

    async def applied(self, projection: str, key: str) -> int:
        """The last notification id the projection applied for this Kafka key (0: none)."""
        return int(await self._scalar(APPLIED, [projection, key]) or 0)

    async def position(self, projection: str) -> int:
        """The last notification id the projection applied, over all its keys (0: none)."""
        return int(await self._scalar(POSITION, [projection]) or 0)

    async def positions(self, projection: str) -> Positions:
        """The last notification id the projection applied, per Kafka key."""
        async with self.pool.connection() as conn:
            rows = await (await conn.execute(POSITIONS, [projection])).fetchall()
        return dict(rows)

    async def changed_since(self, since: dict[uuid.UUID, int], limit: int) -> Changes:
        """Whose orders the orders projection changed after ``since`` (per cafe, a
        notification id), at most ``limit`` rows."""
        if not since:
            return []
        async with self.pool.connection() as conn:
            cur = await conn.execute(CHANGED_SINCE, [list(since), list(since.values()), limit])
            return await cur.fetchall()

    async def wait_applied(
        self, projection: str, key: str, notification_id: int, within: float
    ) -> bool:
        """Wait until the projection has applied ``notification_id`` for ``key``; False when
        ``within`` seconds pass first (``waiting.wait_until_async``)."""

        async def done() -> bool:
            return await self.applied(projection, key) >= notification_id

        return await wait_until_async(done, within)
