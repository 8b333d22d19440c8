"""Dispatch log: every attempt to send a cafe its day's orders, and the cafe's acknowledgement.

An attempt whose outcome is not recorded yet shows as ``in_doubt``; its outcome replaces it.

One row per DispatchSent, DispatchLogged or DispatchFailed, keyed by its notification id
so replays give the same rows; an acknowledgement marks that day's sent dispatches.
"""

from __future__ import annotations

from typing import Any

from psycopg import Cursor

from domain import events as e
from projections.engine.base import Projection, tags

DDL = (
    """CREATE TABLE IF NOT EXISTS read.dispatches (
        notification_id bigint PRIMARY KEY,
        cafe_id uuid NOT NULL,
        date date NOT NULL,
        status text NOT NULL,
        chat_id bigint,
        message_ids bigint[] NOT NULL DEFAULT '{}',
        sent_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        text text NOT NULL,
        error text)""",
    "CREATE INDEX IF NOT EXISTS dispatches_by_day ON read.dispatches (cafe_id, date)",
)

_ATTEMPT = """
INSERT INTO read.dispatches (notification_id, cafe_id, date, status, chat_id, message_ids,
    sent_at, text, error)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (notification_id) DO NOTHING
"""
# An attempt is "in doubt" until its outcome arrives; the outcome's row replaces it.
_SETTLED = """DELETE FROM read.dispatches
WHERE cafe_id = %s AND date = %s AND status = 'in_doubt' AND notification_id < %s"""
_ACKNOWLEDGED = """UPDATE read.dispatches SET status = 'acknowledged', acknowledged_at = %s
WHERE cafe_id = %s AND date = %s AND status = 'sent'"""


def apply(cur: Cursor[Any], recorded: e.Recorded) -> None:
    event = recorded.event
    nid = recorded.notification_id
    if isinstance(event, e.DispatchSent | e.DispatchLogged | e.DispatchFailed):
        cur.execute(_SETTLED, [event.cafe_id, event.date, nid])
    match event:
        case e.DispatchAttempted():
            cur.execute(
                _ATTEMPT,
                [nid, event.cafe_id, event.date, "in_doubt", event.chat_id, [], event.at, "",
                 None],
            )  # fmt: skip
        case e.DispatchSent():
            cur.execute(
                _ATTEMPT,
                [nid, event.cafe_id, event.date, "sent", event.chat_id, list(event.message_ids),
                 event.at, event.text, None],
            )  # fmt: skip
        case e.DispatchLogged():
            cur.execute(
                _ATTEMPT,
                [nid, event.cafe_id, event.date, "logged", None, [], event.at, event.text, None],
            )
        case e.DispatchFailed():
            cur.execute(
                _ATTEMPT,
                [nid, event.cafe_id, event.date, "failed", None, [], event.at, event.text,
                 event.error],
            )  # fmt: skip
        case e.DispatchAcknowledged():
            cur.execute(_ACKNOWLEDGED, [event.at, event.cafe_id, event.date])
        case _:
            pass


projection = Projection(
    name="dispatches",
    handles=tags(
        e.DispatchSent,
        e.DispatchLogged,
        e.DispatchFailed,
        e.DispatchAcknowledged,
        e.DispatchAttempted,
    ),
    tables=("read.dispatches",),
    ddl=DDL,
    apply=apply,
)
