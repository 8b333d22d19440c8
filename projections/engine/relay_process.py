"""The ``lunch serve relay`` process: one relay over the configured broker and topic."""

from __future__ import annotations

from typing import Protocol

from projections.engine.relay import NotificationLog, Relay, RelayOptions


class RelaySettings(Protocol):
    @property
    def kafka_bootstrap_servers(self) -> str: ...
    @property
    def kafka_partitions(self) -> int: ...
    @property
    def kafka_idempotence(self) -> bool: ...
    @property
    def events_topic(self) -> str: ...


# How long an idle relay waits before asking the store again: half of it on average is
# added to every event's way to the read models (B2), and one indexed query per wait is cheap.
POLL_SECONDS = 0.02


async def run_relay(
    settings: RelaySettings, store: NotificationLog, poll_interval: float = POLL_SECONDS
) -> None:
    """The ``lunch serve relay`` process: publish the store to ``settings.events_topic``."""
    options = RelayOptions(
        partitions=settings.kafka_partitions, idempotence=settings.kafka_idempotence
    )
    relay = Relay(
        store,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        topic=settings.events_topic,
        options=options,
    )
    try:
        await relay.run(poll_interval)
    finally:
        await relay.stop()
