"""Closing the relay's Kafka clients when the broker has gone: bounded, and never ended by
a client's own cancellation (aiokafka's consumer stop re-raises a cancelled fetch)."""

from __future__ import annotations

import asyncio

import pytest

from projections.engine import relay_clients
from projections.engine.broker_loss import BrokerProbe
from projections.engine.relay_clients import KafkaClients


class Closing:
    """A client that closes at once."""

    closed = False

    async def stop(self) -> None:
        self.closed = True

    async def close(self) -> None:
        self.closed = True


class StopEndsCancelled:
    """A consumer whose stop ends with a cancellation of a task of its own."""

    async def stop(self) -> None:
        fetch = asyncio.ensure_future(asyncio.sleep(10))
        await asyncio.sleep(0)
        fetch.cancel()
        await fetch


class StopHangs:
    async def stop(self) -> None:
        await asyncio.sleep(3600)


def clients(consumer: object) -> tuple[KafkaClients, Closing, Closing]:
    producer, admin = Closing(), Closing()
    return (
        KafkaClients(admin, producer, BrokerProbe(consumer, "t.events", timeout=1)),
        producer,
        admin,
    )


async def test_a_client_cancelled_inside_its_own_close_does_not_end_the_relay() -> None:
    """The consumer's stop ends cancelled: close returns and still closes the others."""
    kafka, producer, admin = clients(StopEndsCancelled())
    await kafka.close()
    assert producer.closed
    assert admin.closed


async def test_a_client_that_never_closes_is_given_up_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stop that hangs holds the relay only CLOSE_TIMEOUT_SECONDS."""
    monkeypatch.setattr(relay_clients, "CLOSE_TIMEOUT_SECONDS", 0.05)
    kafka, producer, admin = clients(StopHangs())
    await asyncio.wait_for(kafka.close(), 5)
    assert producer.closed
    assert admin.closed


async def test_cancelling_the_relay_still_cancels_its_close() -> None:
    """A cancellation of the relay's own task goes through."""
    kafka, producer, _ = clients(StopHangs())
    closing = asyncio.ensure_future(kafka.close())
    await asyncio.sleep(0.01)
    closing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await closing
    assert not producer.closed
