"""Creating the events topic explicitly, with the configured partition count (a broker
that auto-creates would pick its own)."""

from __future__ import annotations

from typing import Any

from aiokafka.admin import NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

TOPIC_EXISTS = 36


async def ensure_topic(admin: Any, topic: str, partitions: int, replication_factor: int) -> bool:
    """Create ``topic`` if absent; whether it was created now."""
    # A metadata listing never auto-creates, and spares the controller a create request.
    if topic in await admin.list_topics():
        return False
    new = NewTopic(
        topic,
        partitions,
        replication_factor,
        # The log keeps every event, so a new consumer group can read from the start.
        topic_configs={"retention.ms": "-1"},
    )
    try:
        response = await admin.create_topics([new])
    except TopicAlreadyExistsError:
        return False
    for _, code, message in response.topic_errors:
        if code == TOPIC_EXISTS:
            return False
        if code != 0:
            raise KafkaError(f"creating topic {topic}: {code} {message}")
    return True
