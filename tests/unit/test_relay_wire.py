"""The relay's wire format is what the projector reads back."""

from __future__ import annotations

import uuid

from aiokafka.structs import ConsumerRecord
from hypothesis import given
from hypothesis import strategies as st

from domain.events import AnyEvent, Recorded, encode_event, event_type, kafka_key
from projections.engine.wire import delivery_of, headers
from tests.unit.strategies import any_event


@given(any_event, st.integers(1, 2**62), st.uuids(), st.integers(1, 2**31))
def test_a_relayed_event_decodes_to_the_same_record(
    event: AnyEvent, notification_id: int, originator_id: uuid.UUID, version: int
) -> None:
    """Key, headers and value carry everything the projector needs to rebuild the Recorded."""
    recorded = Recorded(
        notification_id=notification_id,
        originator_id=originator_id,
        originator_version=version,
        event=event,
    )
    message = ConsumerRecord(
        topic="lunch.events",
        partition=2,
        offset=41,
        timestamp=0,
        timestamp_type=0,
        key=kafka_key(event).encode(),
        value=encode_event(event),
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=0,
        headers=tuple(headers(recorded)),
    )

    delivery = delivery_of(message)

    assert delivery.decode() == recorded
    assert (delivery.key, delivery.type) == (kafka_key(event), event_type(event))
    assert (delivery.partition, delivery.offset) == (2, 41)
