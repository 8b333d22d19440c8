"""The msgspec mapper stores every event type and reads it back unchanged."""

from __future__ import annotations

import uuid
from pathlib import Path

import msgspec
import pytest
from hypothesis import given

from commands.mapper import UPCASTERS, Envelope, MsgspecMapper
from domain import events as ev
from tests.unit.strategies import any_event

mapper = MsgspecMapper()


@given(event=any_event)
def test_every_event_round_trips(event: ev.Event) -> None:
    """Any event of the catalogue survives to_stored_event → to_domain_event."""
    stored = mapper.to_stored_event(Envelope(uuid.uuid4(), 3, event))
    assert stored.topic == ev.event_type(event)
    back = mapper.to_domain_event(stored)
    assert back.event == event
    assert back.originator_version == 3


@given(event=any_event)
def test_wire_decoding_matches_the_store(event: ev.Event) -> None:
    """What the relay publishes decodes to the same event."""
    assert ev.decode_event(ev.encode_event(event)) == event


def test_old_shapes_are_upcast(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stored older class_version passes through its upcaster before decoding."""
    monkeypatch.setattr(ev.CafeRenamed, "class_version", 2)
    monkeypatch.setitem(
        UPCASTERS,
        ("Cafe.Renamed", 1),
        lambda d: {**d, "name": d.pop("title")},
    )
    old = (
        b'{"type":"Cafe.Renamed","cafe_id":"' + str(uuid.UUID(int=1)).encode() + b'",'
        b'"title":"Old name","at":"2026-01-01T00:00:00Z","actor":"1"}'
    )
    event = mapper.decode("Cafe.Renamed", old)
    assert isinstance(event, ev.CafeRenamed)
    assert event.name == "Old name"


def test_event_schema_snapshot() -> None:
    """The published language changes only on purpose: names and fields of every event."""
    schema = {
        name: [f.name for f in msgspec.structs.fields(cls)]
        for name, cls in sorted(ev.EVENT_TYPES.items())
    }
    expected = msgspec.json.decode((Path(__file__).parent / "event_schema.json").read_bytes())
    assert schema == expected


def test_event_parts_schema_snapshot() -> None:
    """The parts events carry (a menu's dishes, an order's lines) change only on purpose too."""
    parts = (ev.Dish, ev.Extra, ev.Combo, ev.OrderedDish, ev.OrderedExtra)
    schema = {cls.__name__: [f.name for f in msgspec.structs.fields(cls)] for cls in parts}
    path = Path(__file__).parent / "event_parts_schema.json"
    assert schema == msgspec.json.decode(path.read_bytes())


def test_menus_stored_before_tags_decode_untagged() -> None:
    """A MenuSet stored before dishes had tags reads back with no tags, without an upcaster."""
    dish = b'{"id":"' + str(uuid.UUID(int=2)).encode() + b'","name":"Soup","category":"soup"'
    old = (
        b'{"type":"Cafe.MenuSet","cafe_id":"' + str(uuid.UUID(int=1)).encode() + b'",'
        b'"dishes":[' + dish + b',"price":100,"available":true,"description":""}],'
        b'"extras":[],"at":"2026-01-01T00:00:00Z","actor":"1"}'
    )
    event = mapper.decode("Cafe.MenuSet", old)
    assert isinstance(event, ev.MenuSet)
    assert event.dishes[0].tags == ()
    assert event.dishes[0].name == "Soup"
