"""The wire format of ``<prefix>.events``: one Kafka message per recorded event.

Key: ``domain.events.kafka_key`` (the cafe for cafe and order events). Value: the event as
JSON. Headers: event type, notification id, originator id and version, schema version.
The relay encodes with ``message_of``; every consumer decodes with ``delivery_of``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import msgspec

from domain.events import Recorded, encode_event, event_type, kafka_key
from projections.engine.handling import Delivery

Headers = list[tuple[str, bytes]]


class WireMessage(msgspec.Struct, frozen=True, kw_only=True):
    key: bytes
    value: bytes
    headers: Headers


class MalformedMessage(ValueError):
    """A message without the headers every relayed event carries."""


def headers(recorded: Recorded) -> Headers:
    event = recorded.event
    return [
        ("type", event_type(event).encode()),
        ("notification_id", str(recorded.notification_id).encode()),
        ("originator_id", str(recorded.originator_id).encode()),
        ("originator_version", str(recorded.originator_version).encode()),
        ("schema_version", str(type(event).class_version).encode()),
    ]


def message_of(recorded: Recorded) -> WireMessage:
    """What the relay sends for one recorded event."""
    return WireMessage(
        key=kafka_key(recorded.event).encode(),
        value=encode_event(recorded.event),
        headers=headers(recorded),
    )


def notification_id_of(message_headers: Iterable[tuple[str, bytes]] | None) -> int | None:
    """The notification id a message carries, if any."""
    for name, value in message_headers or ():
        if name == "notification_id":
            return int(value)
    return None


def delivery_of(message: Any) -> Delivery:
    """A consumed message (aiokafka's ConsumerRecord) as the engine handles it."""
    found = {name: value.decode() for name, value in message.headers or ()}
    try:
        notification_id = int(found["notification_id"])
        type_ = found["type"]
    except (KeyError, ValueError) as e:
        where = f"{message.topic}/{message.partition}@{message.offset}"
        raise MalformedMessage(f"{where}: missing or bad header {e}") from e
    originator = found.get("originator_id")
    version = found.get("originator_version")
    return Delivery(
        key=message.key.decode() if message.key else "",
        notification_id=notification_id,
        type=type_,
        payload=message.value or b"",
        originator_id=uuid.UUID(originator) if originator else None,
        originator_version=int(version) if version else None,
        partition=message.partition,
        offset=message.offset,
    )
