"""Cafe states the executor's sessions remember: the next decision starts from the latest
fold instead of the store's snapshot, and what one decision does to its copy stays its own."""

from __future__ import annotations

import datetime as dt

import pytest

from commands.messages import ComboInput, DishInput
from commands.service import LunchService
from commands.store import EventStore
from commands.store.memory import MemoryEventStore
from domain import cafe as cafe_model

NOW = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def store() -> EventStore:
    return MemoryEventStore()


@pytest.fixture
def service(store: EventStore) -> LunchService:
    """Snapshots in the store only every 50 events, as in production."""
    return LunchService(store, now=lambda: NOW)


def open_cafe(service: LunchService) -> cafe_model.CafeState:
    cafe = service.register_cafe("Blini", "Europe/Moscow", "RUB", actor="1001").value
    service.set_menu(
        cafe.id, [DishInput(name="Borsch", category="soup", price=20000)], [], actor="1001"
    )
    service.set_combos(
        cafe.id, [ComboInput(name="Soup", price=25000, categories=["soup"])], actor="1001"
    )
    return service.cafe(cafe.id)


def replayed(store: EventStore, cafe: cafe_model.CafeState) -> cafe_model.CafeState | None:
    folded = None
    for _, event in store.load(cafe.id):
        folded = cafe_model.evolve(folded, event)
    return folded


def test_the_next_session_starts_from_the_latest_fold(
    service: LunchService, store: EventStore
) -> None:
    cafe = open_cafe(service)
    assert store.load_snapshot(cafe.id) is None  # fewer events than a stored snapshot needs
    remembered = service.executor.session().snapshots[cafe.id][0]
    assert remembered == store.load(cafe.id)[-1][0]
    service.update_cafe(cafe.id, name="Blini 2", active=None, actor="1001")
    session = service.executor.session()
    session.prefetch([], cafes=[cafe.id])
    assert session.cafe(cafe.id) == replayed(store, cafe)
    assert session.versions[cafe.id] == store.load(cafe.id)[-1][0]
    assert remembered < session.versions[cafe.id]  # the update, folded after the remembered
    assert service.executor.session().snapshots[cafe.id][0] == session.versions[cafe.id]


def test_a_changed_copy_does_not_reach_the_next_session(
    service: LunchService, store: EventStore
) -> None:
    cafe = open_cafe(service)
    mine = service.executor.session().cafe(cafe.id)
    mine.name = "Changed in place"
    mine.closed.append(dt.date(2026, 11, 27))
    theirs = service.executor.session().cafe(cafe.id)
    assert theirs == replayed(store, cafe)
    assert theirs.name == "Blini"
    assert theirs.closed == []
