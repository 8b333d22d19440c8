"""Managing cafes (manager): profile, menu, combos, stop-list, schedule, early closing.

Answers come from the Cafe aggregate's state right after the command, so they are
current without waiting for the read model; the next reads wait for it (read-your-writes).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from litestar import Router, patch, post, put
from litestar.params import FromPath, JSONBody

from api import freshness
from api.auth import CurrentUser, User
from api.context import Context, Ctx
from api.freshness import Read
from api.guards import managers_only
from api.openapi import WRITE, errors
from api.presenters import cafe_out, menu_out
from api.schemas import Body, CafeOut, MenuOut, check_date
from commands.messages import ComboInput, DishInput, ExtraInput, Outcome
from domain.cafe import CafeState
from domain.menu import MAX_ITEMS
from domain.text import LINE_PATTERN

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=LINE_PATTERN)]
Zone = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Currency = Annotated[str, msgspec.Meta(pattern="^[A-Z]{3}$")]
Weekday = Annotated[int, msgspec.Meta(ge=0, le=6)]


class NewCafe(Body, frozen=True):
    name: Name
    timezone: Zone
    currency: Currency = "RUB"


class CafeChange(Body, frozen=True):
    name: Name | None = None
    active: bool | None = None


# A cafe holds at most MAX_ITEMS dishes and extras together; half each keeps every
# document-valid menu within that, which a schema cannot say of two lists combined.
MAX_PER_LIST = MAX_ITEMS // 2


class MenuIn(Body, frozen=True):
    dishes: Annotated[list[DishInput], msgspec.Meta(max_length=MAX_PER_LIST)] = msgspec.field(
        default_factory=list
    )
    extras: Annotated[list[ExtraInput], msgspec.Meta(max_length=MAX_PER_LIST)] = msgspec.field(
        default_factory=list
    )


class CombosIn(Body, frozen=True):
    combos: Annotated[list[ComboInput], msgspec.Meta(max_length=MAX_ITEMS)]


class AvailabilityIn(Body, frozen=True):
    item_id: uuid.UUID
    available: bool


class ScheduleIn(Body, frozen=True):
    weekdays: Annotated[list[Weekday], msgspec.Meta(max_length=7)]
    cutoff: Annotated[str, msgspec.Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    timezone: Zone | None = None
    holidays: Annotated[list[dt.date], msgspec.Meta(max_length=366)] = msgspec.field(
        default_factory=list
    )


class CloseIn(Body, frozen=True):
    date: dt.date


async def _done(ctx: Context, user: User, outcome: Outcome[CafeState]) -> CafeState:
    await freshness.wrote(ctx, Read.MENUS, user.tg_id, outcome)
    return outcome.value


def _cafe(ctx: Context, cafe: CafeState, date: dt.date | None = None) -> CafeOut:
    day = date or ctx.today()
    return cafe_out(cafe, day, now=ctx.now(), closed=cafe.is_closed(day))


def _menu(ctx: Context, cafe: CafeState) -> MenuOut:
    day = ctx.today()
    return menu_out(cafe, day, now=ctx.now(), closed=cafe.is_closed(day))


@post("/cafes", responses=errors(400, 401, 403, 409, 413, 429, 503))
async def register_cafe(ctx: Ctx, user: CurrentUser, data: JSONBody[NewCafe]) -> CafeOut:
    """Register a cafe (201); menu, combos and schedule follow."""
    outcome = await ctx.run(
        ctx.service.register_cafe, data.name, data.timezone, data.currency, actor=str(user.tg_id)
    )
    return _cafe(ctx, await _done(ctx, user, outcome))


@patch("/cafes/{cafe_id:uuid}", responses=errors(*WRITE))
async def update_cafe(
    ctx: Ctx, user: CurrentUser, cafe_id: FromPath[uuid.UUID], data: JSONBody[CafeChange]
) -> CafeOut:
    outcome = await ctx.run(
        ctx.service.update_cafe, cafe_id, name=data.name, active=data.active, actor=str(user.tg_id)
    )
    return _cafe(ctx, await _done(ctx, user, outcome))


@put("/cafes/{cafe_id:uuid}/menu", responses=errors(*WRITE))
async def set_menu(
    ctx: Ctx, user: CurrentUser, cafe_id: FromPath[uuid.UUID], data: JSONBody[MenuIn]
) -> MenuOut:
    """Replace the dishes and extras; ids are assigned where absent and kept where given."""
    outcome = await ctx.run(
        ctx.service.set_menu, cafe_id, data.dishes, data.extras, actor=str(user.tg_id)
    )
    return _menu(ctx, await _done(ctx, user, outcome))


@put("/cafes/{cafe_id:uuid}/combos", responses=errors(*WRITE))
async def set_combos(
    ctx: Ctx, user: CurrentUser, cafe_id: FromPath[uuid.UUID], data: JSONBody[CombosIn]
) -> MenuOut:
    outcome = await ctx.run(ctx.service.set_combos, cafe_id, data.combos, actor=str(user.tg_id))
    return _menu(ctx, await _done(ctx, user, outcome))


@put("/cafes/{cafe_id:uuid}/availability", responses=errors(*WRITE))
async def set_availability(
    ctx: Ctx, user: CurrentUser, cafe_id: FromPath[uuid.UUID], data: JSONBody[AvailabilityIn]
) -> MenuOut:
    """Put a dish or an extra on the stop-list, or take it off."""
    outcome = await ctx.run(
        ctx.service.set_availability,
        cafe_id,
        data.item_id,
        data.available,
        actor=str(user.tg_id),
    )
    return _menu(ctx, await _done(ctx, user, outcome))


@put("/cafes/{cafe_id:uuid}/schedule", responses=errors(*WRITE))
async def set_schedule(
    ctx: Ctx, user: CurrentUser, cafe_id: FromPath[uuid.UUID], data: JSONBody[ScheduleIn]
) -> CafeOut:
    """Weekdays served (0 = Monday) and the daily cutoff HH:MM in the cafe's timezone."""
    outcome = await ctx.run(
        ctx.service.set_schedule,
        cafe_id,
        data.weekdays,
        data.cutoff,
        data.timezone,
        [check_date(d, "holidays") for d in data.holidays],
        actor=str(user.tg_id),
    )
    return _cafe(ctx, await _done(ctx, user, outcome))


@post("/cafes/{cafe_id:uuid}/close", status_code=200, responses=errors(*WRITE))
async def close_ordering(
    ctx: Ctx, user: CurrentUser, cafe_id: FromPath[uuid.UUID], data: JSONBody[CloseIn]
) -> CafeOut:
    """Close ordering for that cafe-day now (the same event the clock records at the cutoff)."""
    outcome = await ctx.run(
        ctx.service.close_ordering,
        cafe_id,
        check_date(data.date),
        actor=str(user.tg_id),
        early=True,
    )
    return _cafe(ctx, await _done(ctx, user, outcome), data.date)


router = Router(
    "/",
    guards=[managers_only],
    tags=["manager"],
    route_handlers=[
        register_cafe,
        update_cafe,
        set_menu,
        set_combos,
        set_availability,
        set_schedule,
        close_ordering,
    ],
)
