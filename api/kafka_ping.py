"""Whether the Kafka cluster answers: a bootstrap metadata request (the api's only aiokafka use)."""

from __future__ import annotations

import asyncio
import logging

from aiokafka.client import AIOKafkaClient

log = logging.getLogger("lunch.api")


async def kafka_answers(bootstrap_servers: str, *, wait: float) -> bool:
    client = AIOKafkaClient(
        bootstrap_servers=bootstrap_servers,
        request_timeout_ms=int(wait * 1000),
        metadata_max_age_ms=60_000,
    )
    try:
        await asyncio.wait_for(client.bootstrap(), wait)
    except Exception as e:  # any failure means "down" for a health check
        log.warning("kafka health check failed", extra={"error": repr(e)})
        return False
    finally:
        await client.close()
    return True
