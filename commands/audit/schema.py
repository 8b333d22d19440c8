"""Tables and triggers that the audit keeps beside the event store, in the same transaction.

- ``audit_cafe_days``: (cafe, date) → notification ids of the events of that cafe-day (every
  order event and the cafe's closure and dispatch events), so a report "as of" a moment
  reads only that cafe-day's events, never the whole log.
- ``audit_chain``: per stored event, ``hash = sha256(previous hash ‖ notification id ‖
  originator id ‖ version ‖ topic length ‖ topic ‖ state)``. The recorder locks the
  events table before it inserts, so notification ids are assigned in commit order and
  the previous row of the chain is always the previous event.

Both are filled by statement-level triggers on the events table (one call per insert
statement, over its transition table), so no writer can append an event without them.
``install`` is idempotent; on first install it fills both from the events already stored.
"""

from __future__ import annotations

import typing

from psycopg import Connection
from psycopg.sql import SQL, Identifier, Literal

from domain.events import EVENT_TYPES

CHAIN_TABLE = "audit_chain"
DAYS_TABLE = "audit_cafe_days"
GENESIS = bytes(32)
_INSTALL_LOCK = 0x6C756E6368_01  # pg_advisory_xact_lock key: one installer at a time


def day_topics() -> tuple[str, ...]:
    """Event types that belong to one cafe-day: they carry both a cafe id and a date."""
    return tuple(
        sorted(
            topic
            for topic, cls in EVENT_TYPES.items()
            if {"cafe_id", "date"} <= set(cls.__struct_fields__)
        )
    )


_DDL = (
    """CREATE TABLE IF NOT EXISTS {days} (
        cafe_id uuid NOT NULL,
        date date NOT NULL,
        notification_id bigint NOT NULL,
        PRIMARY KEY (cafe_id, date, notification_id))""",
    """CREATE TABLE IF NOT EXISTS {chain} (
        notification_id bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        hash bytea NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS audit_chain_by_at ON {chain} (at)",
    # Cafe names for reports as of a moment: a cafe's stream grows a closure a day, so
    # its profile events get a small partial index of their own.
    """CREATE INDEX IF NOT EXISTS audit_cafe_profiles ON {events} (originator_id, notification_id)
        WHERE topic IN ('Cafe.Registered', 'Cafe.Renamed')""",
    # And the people's profiles, which every report as of a moment reads for its names.
    """CREATE INDEX IF NOT EXISTS audit_people ON {events} (originator_id, notification_id)
        WHERE topic IN ('Employee.Registered', 'Employee.Updated', 'Employee.MonthlyLimitSet')""",
    """CREATE OR REPLACE FUNCTION {link}(prev bytea, nid bigint, oid uuid, version bigint,
            topic text, state bytea) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $$
        SELECT sha256(prev || int8send(nid) || uuid_send(oid) || int8send(version)
            || int4send(octet_length(convert_to(topic, 'UTF8'))) || convert_to(topic, 'UTF8')
            || state) $$""",
    """CREATE OR REPLACE FUNCTION {seal}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        prev bytea;
        r record;
    BEGIN
        SELECT hash INTO prev FROM {chain} ORDER BY notification_id DESC LIMIT 1;
        prev := coalesce(prev, {genesis});
        FOR r IN SELECT * FROM new_rows ORDER BY notification_id LOOP
            prev := {link}(prev, r.notification_id, r.originator_id, r.originator_version,
                           r.topic, r.state);
            INSERT INTO {chain} (notification_id, at, hash) VALUES (r.notification_id,
                (convert_from(r.state, 'UTF8')::jsonb ->> 'at')::timestamptz, prev);
        END LOOP;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION {index}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {days} (cafe_id, date, notification_id)
        SELECT (j ->> 'cafe_id')::uuid, (j ->> 'date')::date, n.notification_id
        FROM new_rows n, LATERAL (SELECT convert_from(n.state, 'UTF8')::jsonb AS j) d
        WHERE n.topic = ANY ({topics})
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE TRIGGER audit_seal AFTER INSERT ON {events}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {seal}()""",
    """CREATE OR REPLACE TRIGGER audit_index_cafe_days AFTER INSERT ON {events}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {index}()""",
)

# First install only: seal and index what was stored before the triggers existed. Later
# rows missing from the chain are exactly what verify must report, so they are never
# sealed after the fact.
_BACKFILL_CHAIN = """
DO $$
DECLARE
    prev bytea := {genesis};
    r record;
BEGIN
    IF EXISTS (SELECT 1 FROM {chain}) THEN RETURN; END IF;
    FOR r IN SELECT * FROM {events} ORDER BY notification_id LOOP
        prev := {link}(prev, r.notification_id, r.originator_id, r.originator_version,
                       r.topic, r.state);
        INSERT INTO {chain} (notification_id, at, hash) VALUES (r.notification_id,
            (convert_from(r.state, 'UTF8')::jsonb ->> 'at')::timestamptz, prev);
    END LOOP;
END $$"""
_BACKFILL_DAYS = """
INSERT INTO {days} (cafe_id, date, notification_id)
SELECT (j ->> 'cafe_id')::uuid, (j ->> 'date')::date, n.notification_id
FROM {events} n, LATERAL (SELECT convert_from(n.state, 'UTF8')::jsonb AS j) d
WHERE n.topic = ANY ({topics}) AND NOT EXISTS (SELECT 1 FROM {days})
ON CONFLICT DO NOTHING"""


def _names(schema: str, events_table: str) -> dict[str, typing.Any]:
    return {
        "events": Identifier(schema, events_table),
        "chain": Identifier(schema, CHAIN_TABLE),
        "days": Identifier(schema, DAYS_TABLE),
        "link": Identifier(schema, "audit_link"),
        "seal": Identifier(schema, "audit_seal"),
        "index": Identifier(schema, "audit_index_cafe_days"),
        "genesis": Literal(GENESIS),
        "topics": Literal(list(day_topics())),
    }


def install(conn: Connection[typing.Any], schema: str, events_table: str) -> None:
    """Create the audit tables and triggers (idempotent) in one transaction.

    Holds the events table's write lock meanwhile, so no event is stored between the
    backfill and the triggers taking over.
    """
    names = _names(schema, events_table)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_INSTALL_LOCK])
        conn.execute(SQL("LOCK TABLE {events} IN EXCLUSIVE MODE").format(**names))
        for statement in (*_DDL, _BACKFILL_CHAIN, _BACKFILL_DAYS):
            # Literals inside the dollar-quoted bodies are rendered by format, not bound.
            conn.execute(SQL(statement).format(**names))
