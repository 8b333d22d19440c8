"""Cafe link requests: chats that asked to be linked to a cafe, and the managers' decisions."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor

from domain import events as e
from projections.engine.base import Projection, tags

DDL = (
    """CREATE TABLE IF NOT EXISTS read.link_requests (
        id uuid PRIMARY KEY,
        chat_id bigint NOT NULL,
        chat_title text NOT NULL,
        requested_by bigint NOT NULL,
        requested_at timestamptz NOT NULL,
        status text NOT NULL,
        cafe_id uuid,
        reason text,
        decided_by text,
        decided_at timestamptz)""",
    "CREATE INDEX IF NOT EXISTS link_requests_by_status ON read.link_requests (status)",
)

# A chat asks again after a rejection under the same request id: a fresh pending request.
_REQUESTED = """
INSERT INTO read.link_requests (id, chat_id, chat_title, requested_by, requested_at, status)
VALUES (%s, %s, %s, %s, %s, 'pending')
ON CONFLICT (id) DO UPDATE SET chat_id = EXCLUDED.chat_id, chat_title = EXCLUDED.chat_title,
    requested_by = EXCLUDED.requested_by, requested_at = EXCLUDED.requested_at,
    status = 'pending', cafe_id = NULL, reason = NULL, decided_by = NULL, decided_at = NULL
"""
_DECIDED = """UPDATE read.link_requests SET status = %s, cafe_id = %s, reason = %s,
    decided_by = %s, decided_at = %s WHERE id = %s"""


def apply(cur: Cursor[Any], recorded: e.Recorded) -> None:
    event = recorded.event
    match event:
        case e.LinkRequested():
            cur.execute(
                _REQUESTED,
                [event.request_id, event.chat_id, event.chat_title, event.requested_by, event.at],
            )
        case e.LinkApproved():
            cur.execute(
                _DECIDED,
                ["approved", event.cafe_id, None, event.actor, event.at, event.request_id],
            )
        case e.LinkRejected():
            cur.execute(
                _DECIDED,
                ["rejected", None, event.reason, event.actor, event.at, event.request_id],
            )
        case _:
            pass


projection = Projection(
    name="link_requests",
    handles=tags(e.LinkRequested, e.LinkApproved, e.LinkRejected),
    tables=("read.link_requests",),
    ddl=DDL,
    apply=apply,
)
