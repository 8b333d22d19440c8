"""Placing, changing and cancelling one's orders; reading them back (read-your-writes)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from litestar import Response, delete, get, post, put
from litestar.enums import MediaType
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from api import freshness
from api.auth import CurrentUser, User
from api.context import Context, Ctx
from api.freshness import Read
from api.guards import managers_and_auditors
from api.openapi import WRITE, errors
from api.orders_cache import holds
from api.presenters import order_out, orders_out
from api.schemas import OrderIn, OrderOut, check_date
from commands.messages import CancelOrder, ChangeOrder, Outcome, PlaceOrder
from domain.errors import NotFound
from domain.order import ExtraLine, OrderRequest, OrderState

HISTORY_DAYS = 30


def _request(data: JSONBody[OrderIn]) -> OrderRequest:
    return OrderRequest(
        cafe_id=data.cafe_id,
        date=check_date(data.date),
        combo_id=data.combo_id,
        dishes=dict(data.dishes),
        extras=tuple(ExtraLine(extra_id=e.extra_id, qty=e.qty) for e in data.extras),
        note=data.note,
    )


async def _done(ctx: Context, user: User, outcome: Outcome[OrderState]) -> OrderOut:
    await freshness.wrote(ctx, Read.ORDERS, user.tg_id, outcome)
    return order_out(outcome.value)


@post("/orders", tags=["orders"], responses=errors(*WRITE))
async def place_order(ctx: Ctx, user: CurrentUser, data: JSONBody[OrderIn]) -> OrderOut:
    """Place the caller's order for a date (201); one per date, until the cafe's deadline."""
    actor = str(user.tg_id)
    outcome = await ctx.execute(PlaceOrder(tg_id=user.tg_id, request=_request(data), actor=actor))
    return await _done(ctx, user, outcome)


@put("/orders/{order_id:uuid}", tags=["orders"], responses=errors(*WRITE))
async def change_order(
    ctx: Ctx, user: CurrentUser, order_id: FromPath[uuid.UUID], data: JSONBody[OrderIn]
) -> OrderOut:
    """Change the caller's order; its cafe and date stay."""
    outcome = await ctx.execute(
        ChangeOrder(
            order_id=order_id, request=_request(data), tg_id=user.tg_id, actor=str(user.tg_id)
        )
    )
    return await _done(ctx, user, outcome)


@delete("/orders/{order_id:uuid}", status_code=200, tags=["orders"], responses=errors(*WRITE))
async def cancel_order(ctx: Ctx, user: CurrentUser, order_id: FromPath[uuid.UUID]) -> OrderOut:
    """Cancel the caller's order (status ``cancelled``) before the deadline."""
    outcome = await ctx.execute(
        CancelOrder(order_id=order_id, tg_id=user.tg_id, actor=str(user.tg_id))
    )
    return await _done(ctx, user, outcome)


@get("/orders/mine", tags=["orders"], responses=errors(400, 401, 429, 503))
async def my_orders(
    ctx: Ctx,
    user: CurrentUser,
    date_from: Annotated[dt.date | None, QueryParameter(name="from")] = None,
    date_to: Annotated[dt.date | None, QueryParameter(name="to")] = None,
) -> Response[list[OrderOut]]:
    """The caller's orders, newest first (default: the last 30 days and any later dates)."""
    if date_from is None and date_to is None:
        date_from = ctx.today() - dt.timedelta(days=HISTORY_DAYS)
    key = (user.tg_id, date_from, date_to)
    pending = await freshness.pending_writes(ctx, Read.ORDERS, user.tg_id)
    # Redis unable to tell what is pending: the read model as it is, as without a cache.
    body = await ctx.orders.cached(ctx.reads, key, pending) if pending is not None else None
    if body is None:
        found = await ctx.orders.read(ctx.reads, key)
        if pending and not holds(found.positions, pending):
            await freshness.applied(ctx, Read.ORDERS, pending)
            found = await ctx.orders.read(ctx.reads, key)
        body = found.body
    # Already JSON: Litestar sends bytes as they are; the annotation keeps the schema.
    return Response(body, media_type=MediaType.JSON)  # type: ignore[arg-type]


@get("/orders/{order_id:uuid}", tags=["orders"], responses=errors(400, 401, 404, 429, 503))
async def one_order(ctx: Ctx, user: CurrentUser, order_id: FromPath[uuid.UUID]) -> OrderOut:
    """One order: the caller's own, or anyone's for managers and auditors."""
    await freshness.catch_up(ctx, Read.ORDERS, user.tg_id)
    found = await ctx.reads.order(order_id)
    if found is None or (user.role == "employee" and found.tg_id != user.tg_id):
        raise NotFound("no such order", order_id=str(order_id))
    return orders_out([found])[0]


@get(
    "/orders",
    guards=[managers_and_auditors],
    tags=["orders"],
    responses=errors(400, 401, 403, 429, 503),
)
async def orders_of_day(
    ctx: Ctx, date: FromQuery[dt.date | None] = None, cafe_id: FromQuery[uuid.UUID | None] = None
) -> list[OrderOut]:
    """Everyone's orders on a date (default today), optionally of one cafe."""
    day = check_date(date or ctx.today())
    return orders_out(await ctx.run(ctx.queries.orders_on, day, cafe_id))
