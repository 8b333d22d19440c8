"""Helpers for relay and projector tests: a broker that restarts empty, waiting for convergence."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiokafka import AIOKafkaConsumer

from commands.settings import Settings
from commands.store.postgres import PostgresEventStore
from ops.embedded import free_port, kafka_metadata_ok, tansu_binary
from ops.processes import wait_until
from projections.engine.projector import run_projector
from projections.engine.relay import Relay, RelayOptions
from projections.models.catalogue import ALL
from tests.integration.read_side import dump, expected_tracking


class RestartableTansu:
    """Tansu on a fixed port: every restart is a broker that lost everything."""

    def __init__(self) -> None:
        self.url = f"127.0.0.1:{free_port()}"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        listener = f"tcp://{self.url}"
        self._proc = subprocess.Popen(
            [str(tansu_binary()), "broker", "--listener-url", listener,
             "--advertised-listener-url", listener, "--storage-engine", "memory://tansu/"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._ready, "Tansu")

    def _ready(self) -> bool:
        with ThreadPoolExecutor(1) as pool:
            return bool(pool.submit(asyncio.run, kafka_metadata_ok(self.url)).result())

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(10)
            self._proc = None


async def publish_all(relay: Relay) -> int:
    sent = 0
    while count := await relay.publish_once():
        sent += count
    return sent


async def publish_store(store: PostgresEventStore, bootstrap: str, topic: str) -> int:
    """Publish the whole store to ``topic`` (one partition) with a relay started for it."""
    relay = Relay(
        store,
        bootstrap_servers=bootstrap,
        topic=topic,
        options=RelayOptions(partitions=1, idempotence=False),
    )
    await relay.start()
    try:
        return await publish_all(relay)
    finally:
        await relay.stop()


async def read_topic(bootstrap: str, topic: str, count: int, within: float = 20.0) -> list[Any]:
    """The first ``count`` messages of every partition, read without a group."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    messages: list[Any] = []
    try:
        deadline = time.monotonic() + within
        while len(messages) < count and time.monotonic() < deadline:
            for batch in (await consumer.getmany(timeout_ms=200)).values():
                messages.extend(batch)
    finally:
        await consumer.stop()
    return messages


@contextlib.asynccontextmanager
async def projector(settings: Settings) -> AsyncIterator[None]:
    task = asyncio.create_task(run_projector(settings))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def eventually(check: Callable[[], bool], what: str, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while not await asyncio.to_thread(check):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def caught_up(pool: Any, store: PostgresEventStore) -> Callable[[], bool]:
    """True once every projection applied, for every key, the last event of that key."""

    def check() -> bool:
        recorded = store.read(0, 100_000)
        tracking = dump(pool)
        return all(tracking[f"tracking:{p.name}"] == expected_tracking(recorded, p) for p in ALL)

    return check
