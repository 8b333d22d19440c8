"""Commands about a cafe-day's dispatch and a cafe chat's migration.

Each is load → decide (domain.dispatch) → append on the cafe's stream, retried on
conflicts, like every cafe command of the service.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from commands.messages import Outcome
from commands.service import LunchService
from domain import dispatch
from domain.cafe import CafeState
from domain.events import SYSTEM


def begin_dispatch(
    service: LunchService, cafe_id: uuid.UUID, date: dt.date, chat_id: int, *, repeat: bool
) -> Outcome[CafeState]:
    """Record that a send starts now (Conflict if a first send was already attempted)."""
    return service._change_cafe(
        cafe_id,
        lambda c: [
            dispatch.attempt_dispatch(
                c, date, chat_id, repeat=repeat, now=service.now(), actor=SYSTEM
            )
        ],
    )


def record_sent(
    service: LunchService,
    cafe_id: uuid.UUID,
    date: dt.date,
    chat_id: int,
    message_ids: Sequence[int],
    text: str,
) -> Outcome[CafeState]:
    return service._change_cafe(
        cafe_id,
        lambda c: [
            dispatch.dispatch_sent(
                c, date, chat_id, message_ids, text, now=service.now(), actor=SYSTEM
            )
        ],
    )


def record_failed(
    service: LunchService, cafe_id: uuid.UUID, date: dt.date, error: str, text: str
) -> Outcome[CafeState]:
    return service._change_cafe(
        cafe_id,
        lambda c: [dispatch.dispatch_failed(c, date, error, text, now=service.now(), actor=SYSTEM)],
    )


def record_logged(
    service: LunchService, cafe_id: uuid.UUID, date: dt.date, text: str
) -> Outcome[CafeState]:
    return service._change_cafe(
        cafe_id,
        lambda c: [dispatch.dispatch_logged(c, date, text, now=service.now(), actor=SYSTEM)],
    )


def acknowledge(
    service: LunchService, cafe_id: uuid.UUID, date: dt.date, *, actor: str
) -> Outcome[CafeState]:
    return service._change_cafe(
        cafe_id,
        lambda c: dispatch.acknowledge_dispatch(c, date, now=service.now(), actor=actor),
    )


def request_resend(
    service: LunchService, cafe_id: uuid.UUID, date: dt.date, *, actor: str
) -> Outcome[CafeState]:
    return service._change_cafe(
        cafe_id,
        lambda c: [dispatch.request_resend(c, date, now=service.now(), actor=actor)],
    )


def follow_migration(
    service: LunchService, cafe_id: uuid.UUID, old_chat_id: int, new_chat_id: int
) -> Outcome[CafeState]:
    return service._change_cafe(
        cafe_id,
        lambda c: dispatch.follow_migration(
            c, old_chat_id, new_chat_id, now=service.now(), actor=SYSTEM
        ),
    )
