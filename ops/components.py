"""Composition root: builds each component from Settings and runs it.

Each component's modules are imported inside its function, so a process only imports
what it runs.
"""

from __future__ import annotations

import signal
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from ops.entry import call

if TYPE_CHECKING:
    from commands.service import LunchService
    from commands.settings import Settings
    from commands.store import EventStore

COMPONENTS = ("api", "relay", "projector", "notifier", "clock", "recommender")


def open_store(settings: Settings) -> EventStore:
    from commands.audit.log import install_audit
    from commands.store.postgres import PostgresEventStore

    store = PostgresEventStore(settings.database.url)
    store.setup()
    install_audit(settings.database.url)
    return store


def make_service(store: EventStore) -> LunchService:
    from commands.executor import utc_now
    from commands.service import LunchService

    return LunchService(store, now=utc_now, new_id=uuid.uuid4)


def serve_api(settings: Settings) -> None:
    from ops.api_server import serve_api as serve_workers

    serve_workers(settings)


def serve_relay(settings: Settings) -> None:
    from projections.engine.relay_process import run_relay

    call(run_relay, settings, open_store(settings))


def serve_projector(settings: Settings) -> None:
    from projections.engine.projector import run_projector

    call(run_projector, settings)


def serve_clock(settings: Settings) -> None:
    from commands.clock import run_clock

    service = make_service(open_store(settings))
    call(run_clock, service, grace_seconds=settings.clock.grace_seconds)


def serve_notifier(settings: Settings) -> None:
    from notifier.runner import serve_notifier as serve_until_signalled

    call(serve_until_signalled, settings)


def serve_recommender(settings: Settings) -> None:
    from recommender.runner import run_recommender

    call(run_recommender, settings)


SERVE: dict[str, Callable[[Settings], None]] = {
    "api": serve_api,
    "relay": serve_relay,
    "projector": serve_projector,
    "clock": serve_clock,
    "notifier": serve_notifier,
    "recommender": serve_recommender,
}


def serve(name: str, settings: Settings) -> None:
    """Run one component until it ends or receives SIGTERM/SIGINT."""
    from ops.codecs import use_msgspec_for_json

    # SIGTERM unwinds like Ctrl-C, so asyncio.run cancels tasks and closes clients.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    use_msgspec_for_json()
    SERVE[name](settings)
