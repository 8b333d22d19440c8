"""What an idle relay waits on: a notification that the store was written, or a timeout.

The event store's trigger notifies ``lunch_events`` at each commit that wrote events
(``commands.store.written_signal``). The relay listens on a connection of its own and, when
the store has nothing new, waits for the next notification instead of asking again every
20 ms: an idle office then costs the relay and PostgreSQL almost nothing, and an event is
read as soon as its transaction commits. A slow poll stays as the floor (``FALLBACK_SECONDS``),
so a lost notification or a store without the trigger delays events, never loses them. If
the connection fails, the relay polls at its old interval until it can listen again.
"""

from __future__ import annotations

import asyncio
import logging
import time

import psycopg

from projections.engine.base import log_event

log = logging.getLogger("lunch.relay")

CHANNEL = "lunch_events"
FALLBACK_SECONDS = 1.0
RETRY_LISTEN_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 5


class Wakeup:
    """Waits until the store is written (or a timeout), over a LISTEN connection."""

    def __init__(
        self, conninfo: str, poll_interval: float, fallback: float = FALLBACK_SECONDS
    ) -> None:
        self.conninfo = conninfo
        self.poll_interval = poll_interval
        self.fallback = fallback
        self._conn: psycopg.AsyncConnection[object] | None = None
        self._failed_at: float | None = None
        self._woke_at = 0.0

    async def listen(self) -> None:
        """Start listening now, so that no write between the relay's first read and its
        first wait goes unnoticed."""
        await self._listening()

    async def wait(self) -> None:
        """Return after a notification, or after the fallback poll. Never sooner than
        ``poll_interval`` after the last return: under load the relay reads and publishes
        no more often than it did polling, each batch as large as before."""
        conn = await self._listening()
        gap = self.poll_interval - (time.monotonic() - self._woke_at)
        if conn is None or gap > 0:
            await asyncio.sleep(self.poll_interval if conn is None else gap)
        if conn is not None:
            try:
                async for _ in conn.notifies(timeout=self.fallback, stop_after=1):
                    break
                async for _ in conn.notifies(timeout=0.0):
                    pass  # the other commits since: one read covers them all
            except psycopg.Error as error:
                await self._lost(error)
        self._woke_at = time.monotonic()

    async def _listening(self) -> psycopg.AsyncConnection[object] | None:
        if self._conn is not None:
            return self._conn
        if (
            self._failed_at is not None
            and time.monotonic() - self._failed_at < RETRY_LISTEN_SECONDS
        ):
            return None
        try:
            conn = await psycopg.AsyncConnection.connect(
                self.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
            )
            await conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as error:
            await self._lost(error)
            return None
        self._conn, self._failed_at = conn, None
        return conn

    async def _lost(self, error: psycopg.Error) -> None:
        log_event(log, logging.WARNING, "relay.listen_failed", error=repr(error))
        self._failed_at = time.monotonic()
        await self.close()

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()
