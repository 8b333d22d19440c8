"""The yardstick for B1: a plain CRUD route on the same stack (Litestar, uvicorn, psycopg).

``POST /api/orders`` checks the bearer token, decodes the same order body and inserts one
row per request through an async connection pool, the way a CRUD service would: no events,
no rules, no read model. Run by the benchmark with uvicorn, with as many workers as the api.

    DATABASE_URL=... uvicorn tests.bench.crud_app:create_app --factory --port P
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import jwt
import msgspec
from litestar import Litestar, Request, post
from litestar.exceptions import NotAuthorizedException
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from tests.bench.stack import SECRET

DDL = """CREATE TABLE IF NOT EXISTS bench_crud_orders (
    id bigserial PRIMARY KEY, tg_id bigint NOT NULL, cafe_id uuid NOT NULL, date date NOT NULL,
    combo_id uuid NOT NULL, dishes jsonb NOT NULL, note text NOT NULL,
    placed_at timestamptz NOT NULL DEFAULT now())"""
INSERT = """INSERT INTO bench_crud_orders (tg_id, cafe_id, date, combo_id, dishes, note)
VALUES (%s, %s, %s, %s, %s, %s) RETURNING id"""


class OrderBody(msgspec.Struct):
    cafe_id: str
    date: dt.date
    combo_id: str
    dishes: dict[str, str]
    extras: list[Any] = msgspec.field(default_factory=list)
    note: str = ""


class Created(msgspec.Struct):
    id: int
    tg_id: int


def create_app() -> Litestar:
    pool = AsyncConnectionPool(os.environ["DATABASE_URL"], min_size=4, max_size=8, open=False)

    async def start() -> None:
        await pool.open()
        async with pool.connection() as conn:
            await conn.execute(DDL)

    @post("/api/orders")
    async def create_order(request: Request[Any, Any, Any], data: OrderBody) -> Created:
        _, _, token = request.headers.get("authorization", "").partition(" ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        except jwt.PyJWTError as e:
            raise NotAuthorizedException from e
        tg_id = int(claims["sub"])
        values = (tg_id, data.cafe_id, data.date, data.combo_id, Jsonb(data.dishes), data.note)
        async with pool.connection() as conn:
            cursor = await conn.execute(INSERT, values)
            row = await cursor.fetchone()
        assert row is not None
        return Created(id=row[0], tg_id=tg_id)

    async def stop() -> None:
        await pool.close()

    return Litestar([create_order], on_startup=[start], on_shutdown=[stop])
