"""The ``lunch serve relay`` process: one relay over the configured broker and topic."""

from __future__ import annotations

from typing import Protocol

from projections.engine.relay import NotificationLog, Relay, RelayOptions
from projections.engine.relay_wakeup import Wakeup


class KafkaConcern(Protocol):
    @property
    def bootstrap_servers(self) -> str: ...
    @property
    def partitions(self) -> int: ...
    @property
    def idempotence(self) -> bool: ...
    @property
    def events_topic(self) -> str: ...


class DatabaseConcern(Protocol):
    @property
    def url(self) -> str: ...


class RelaySettings(Protocol):
    """What the relay reads of ``commands.settings.Settings``."""

    @property
    def kafka(self) -> KafkaConcern: ...
    @property
    def database(self) -> DatabaseConcern: ...


# How long an idle relay waits before asking the store again when it cannot listen for the
# store's writes (``relay_wakeup``): half of it on average is added to every event's way to
# the read models (B2).
POLL_SECONDS = 0.02


async def run_relay(
    settings: RelaySettings, store: NotificationLog, poll_interval: float = POLL_SECONDS
) -> None:
    """The ``lunch serve relay`` process: publish the store to ``settings.kafka.events_topic``."""
    options = RelayOptions(
        partitions=settings.kafka.partitions, idempotence=settings.kafka.idempotence
    )
    relay = Relay(
        store,
        bootstrap_servers=settings.kafka.bootstrap_servers,
        topic=settings.kafka.events_topic,
        options=options,
    )
    wakeup = Wakeup(settings.database.url, poll_interval)
    try:
        await wakeup.listen()
        await relay.run(poll_interval, idle=wakeup.wait)
    finally:
        await wakeup.close()
        await relay.stop()
