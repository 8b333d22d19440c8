"""Maps domain events (msgspec Structs) to and from eventsourcing's StoredEvent.

eventsourcing's own Mapper reads ``vars(event)``, which Structs lack, so this one encodes
the Struct with msgspec. The stored topic is the event's stable wire name
(``Order.Placed``), not a Python path, so modules can move without rewriting history.
Old shapes are brought up to date by upcasters keyed by (type, stored class version).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import msgspec
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent

from domain.events import EVENT_TYPES, AnyEvent, Event, event_type

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

# (event type, stored class_version) -> function that returns the next version's dict.
UPCASTERS: dict[tuple[str, int], Upcaster] = {}

_VERSION_KEY = b'"class_version"'


class Envelope(msgspec.Struct, frozen=True):
    """An event with its aggregate and position, as the event store wants it."""

    originator_id: uuid.UUID
    originator_version: int
    event: Event


class MsgspecMapper(Mapper[uuid.UUID]):
    def __init__(self) -> None:
        super().__init__(transcoder=JSONTranscoder())
        self._decoders: dict[str, msgspec.json.Decoder[Any]] = {
            name: msgspec.json.Decoder(cls) for name, cls in EVENT_TYPES.items()
        }

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        envelope: Envelope = domain_event
        event = envelope.event
        state = msgspec.json.encode(event)
        version = type(event).class_version
        if version > 1:
            state = state[:-1] + b',"class_version":' + str(version).encode() + b"}"
        return StoredEvent(
            originator_id=envelope.originator_id,
            originator_version=envelope.originator_version,
            topic=event_type(event),
            state=state,
        )

    def decode(self, topic: str, state: bytes) -> AnyEvent:
        """The event stored under ``topic`` with ``state``, upcast to the current shape."""
        cls = EVENT_TYPES[topic]
        if cls.class_version == 1 and _VERSION_KEY not in state:
            event: AnyEvent = self._decoders[topic].decode(state)
            return event
        data: dict[str, Any] = msgspec.json.decode(state)
        stored_version = int(data.pop("class_version", 1))
        while stored_version < cls.class_version:
            data = UPCASTERS[(topic, stored_version)](data)
            stored_version += 1
        return msgspec.convert(data, cls)  # type: ignore[return-value]

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        return Envelope(
            originator_id=uuid.UUID(str(stored_event.originator_id)),
            originator_version=stored_event.originator_version,
            event=self.decode(stored_event.topic, stored_event.state),
        )
