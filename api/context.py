"""What every handler may use, built once per app: settings, the service, queries, Redis."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar, cast

import anyio.to_thread
from litestar.datastructures import State
from litestar.di import NamedDependency
from redis.asyncio import Redis

from api.auth import Tokens
from api.directory_cache import DirectoryCache
from api.menu_cache import MenuCache
from api.metrics import Metrics
from api.orders_cache import OrdersCache
from commands.group_commit import GroupCommit
from commands.messages import Command, Outcome
from commands.service import LunchService
from commands.settings import Settings
from domain.schedule import local_date
from projections.reads.async_reads import AsyncReads
from projections.reads.queries import Queries

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    settings: Settings
    service: LunchService
    queries: Queries
    reads: AsyncReads
    redis: Redis
    tokens: Tokens
    metrics: Metrics
    now: Callable[[], dt.datetime]
    writes: GroupCommit[Command[Any], Outcome[Any]]
    init_data_max_age: dt.timedelta = dt.timedelta(hours=24)
    menus: MenuCache = field(default_factory=MenuCache)
    directory: DirectoryCache = field(default_factory=DirectoryCache)
    orders: OrdersCache = field(default_factory=OrdersCache)

    async def execute(self, command: Command[T]) -> Outcome[T]:
        """Run a command, grouped with the others arriving meanwhile (commands.group_commit)."""
        return cast(Outcome[T], await self.writes.run(command))

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run blocking code (the service, queries) in a worker thread."""
        return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs))

    def today(self) -> dt.date:
        return local_date(self.now(), self.settings.clock.timezone)

    def this_month(self) -> tuple[dt.date, dt.date]:
        """The first and last day of today's month, in the office's timezone."""
        first = self.today().replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1)


def provide_context(state: State) -> Context:
    ctx: Context = state.ctx
    return ctx


Ctx = NamedDependency[Context]
"""A handler parameter ``ctx: Ctx`` receives the app's Context."""
