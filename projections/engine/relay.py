"""The relay: publishes the event store's notification log to Kafka, in order, at least once.

Its position and per-partition offsets (``relay_positions``) live in PostgreSQL beside the
events, saved only after the broker acknowledged. Before publishing it checks that the broker
still holds each partition's last message (``broker_loss``); if not, it recreates the topic
and republishes from the lowest notification id some consumer group has not handled yet
(``offsets``), and consumers skip duplicates by notification id.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from domain.events import Recorded
from projections.engine import offsets
from projections.engine.base import log_event as _log_event
from projections.engine.relay_clients import KafkaClients, RelayConnections, RelayOptions
from projections.engine.relay_positions import RelayPositions
from projections.engine.restart import keep_running
from projections.engine.topic import ensure_topic
from projections.engine.wire import message_of

log = logging.getLogger("lunch.relay")
Idle = Callable[[], Awaitable[object]]  # what the relay awaits when the store has nothing new
__all__ = ["NotificationLog", "Relay", "RelayOptions"]


class NotificationLog(Protocol):
    """What the relay reads: the event store's log (``commands.store`` implements it),
    and the database where it keeps its positions."""

    @property
    def database_url(self) -> str: ...

    def read(self, after: int, limit: int) -> list[Recorded]: ...


def log_event(level: int, event: str, **fields: Any) -> None:
    _log_event(log, level, event, **fields)


class Relay:
    def __init__(
        self,
        store: NotificationLog,
        *,
        bootstrap_servers: str,
        topic: str,
        options: RelayOptions | None = None,
    ) -> None:
        self.store = store
        self.bootstrap_servers = bootstrap_servers
        self.topic = topic
        self.options = options or RelayOptions()
        self.batch_size = self.options.batch_size
        self.position = 0
        # partition -> (next offset, notification id of the message just before it)
        self.partitions: offsets.Offsets = {}
        self._checked_at: float | None = None
        self._connections: RelayConnections | None = None

    async def start(self) -> None:
        self._connections = await RelayConnections.open(
            self.store.database_url, self.bootstrap_servers, self.topic, self.options
        )
        try:
            self.position, self.partitions = await self.rows.load()
        except BaseException:
            await self.stop()
            raise
        self._checked_at = None
        log_event(logging.INFO, "relay.start", topic=self.topic, position=self.position)

    async def stop(self) -> None:
        if self._connections is not None:
            connections, self._connections = self._connections, None
            await connections.close()

    @property
    def rows(self) -> RelayPositions:
        assert self._connections is not None, "Relay.start() first"
        return self._connections.rows

    @property
    def kafka(self) -> KafkaClients:
        assert self._connections is not None, "Relay.start() first"
        return self._connections.kafka

    # --- publishing ----------------------------------------------------------------------

    async def publish_once(self) -> int:
        """Publish the next batch after the position; returns how many events were sent."""
        batch = await asyncio.to_thread(self.store.read, self.position, self.batch_size)
        interval = self.options.check_interval if batch else self.options.idle_check_interval
        due = self._checked_at is None or time.monotonic() - self._checked_at >= interval
        if due and await self.check_broker():
            batch = await asyncio.to_thread(self.store.read, self.position, self.batch_size)
        if not batch:
            return 0
        try:
            await self._publish(batch)
        except BaseException:
            self._checked_at = None
            raise
        return len(batch)

    async def _publish(self, batch: Sequence[Recorded]) -> None:
        messages = [message_of(r) for r in batch]
        sends = [
            await self.kafka.producer.send(self.topic, key=m.key, value=m.value, headers=m.headers)
            for m in messages
        ]
        acks = await asyncio.gather(*sends)
        lost = None
        for recorded, ack in zip(batch, acks, strict=True):
            expected, _ = self.partitions.get(ack.partition, (0, 0))
            if ack.offset < expected and lost is None:
                lost = f"partition {ack.partition} took offset {ack.offset}, expected {expected}"
            self.partitions[ack.partition] = (ack.offset + 1, recorded.notification_id)
        if lost is not None:
            await self._recover(lost)
            return
        await self._save(batch[-1].notification_id)
        log_event(
            logging.DEBUG,
            "relay.published",
            count=len(batch),
            first=batch[0].notification_id,
            last=batch[-1].notification_id,
        )

    async def _save(self, position: int) -> None:
        await self.rows.save(position, self.partitions)
        self.position = position

    # --- broker loss ---------------------------------------------------------------------

    async def check_broker(self) -> bool:
        """Whether the broker had lost published messages (and the relay rewound)."""
        reason = await self._ensure_topic()
        if reason is None:
            reason = await self.kafka.probe.missing_message(self.partitions)
        self._checked_at = time.monotonic()
        if reason is None:
            return False
        await self._recover(reason)
        return True

    async def _ensure_topic(self) -> str | None:
        """Create the topic if absent; a missing topic after publishing means a lost broker."""
        options = self.options
        if not await ensure_topic(
            self.kafka.admin, self.topic, options.partitions, options.replication_factor
        ):
            return None
        log_event(logging.INFO, "relay.topic_created", topic=self.topic)
        if self.position > 0 or self.partitions:
            return f"topic {self.topic} was missing"
        return None

    async def _recover(self, reason: str) -> None:
        restart = await self.rows.restart_point(self.position)
        await self._ensure_topic()
        partitions = await self.kafka.producer.partitions_for(self.topic)
        observed = await self.kafka.probe.observe(set(partitions))
        lost_position = self.position
        self.partitions = observed
        await self._save(restart)
        log_event(
            logging.WARNING,
            "relay.broker_lost",
            reason=reason,
            topic=self.topic,
            position=lost_position,
            republish_from=restart,
        )

    async def run(self, poll_interval: float = 0.1, idle: Idle | None = None) -> None:
        """Publish until cancelled, waiting on ``idle`` (else ``poll_interval``) when the store
        has nothing new; after a failure, connect again and go on from the saved position."""
        wait = idle or (lambda: asyncio.sleep(poll_interval))
        await keep_running(
            lambda: self._publish_until_failure(wait), logger=log, event="relay.failed"
        )

    async def _publish_until_failure(self, idle: Idle) -> None:
        if self._connections is None:
            await self.start()
        try:
            while True:
                if await self.publish_once() < self.batch_size:
                    await idle()
        except Exception:
            await self.stop()
            raise
