"""`lunch audit verify`: the event log's hash chain and the read models against a replay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
from psycopg_pool import ConnectionPool

from commands.audit.log import install_audit
from commands.settings import AuditSettings, DatabaseSettings, Settings
from commands.store import EventStore
from ops import admin
from tests.integration.history import History, office_history
from tests.integration.read_side import deliver


@pytest.fixture
def office(database_url: str, store: EventStore, pool: ConnectionPool) -> None:
    """The office history stored (half before the audit is installed, half after) and
    delivered to every read model."""
    events, _, _ = office_history(History())
    store.append(events[:10])
    install_audit(database_url)
    store.append(events[10:])
    deliver(pool, store.read(0, 1000))


def verify(database_url: str, capsys: pytest.CaptureFixture[str], *args: Any) -> tuple[int, Any]:
    settings = Settings(database=DatabaseSettings(url=database_url))
    checkpoint = next((Path(a) for a in args if isinstance(a, Path)), None)
    code = admin.audit_verify(settings, checkpoint, logs_only="--log-only" in args)
    return code, msgspec.json.decode(capsys.readouterr().out)


RENAME = (
    "UPDATE stored_events SET state ="
    " convert_to(replace(convert_from(state, 'UTF8'), 'Anna', 'Anya'), 'UTF8')"
    " WHERE notification_id = 9"
)


def execute(database_url: str, statement: str) -> None:
    with ConnectionPool(database_url, min_size=1, max_size=1) as pool, pool.connection() as conn:
        conn.execute(statement)


@pytest.mark.usefixtures("office")
def test_a_healthy_store_verifies(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Chain intact and every read model equal to its replay: exit 0, no mismatches."""
    code, report = verify(database_url, capsys)
    assert (code, report["ok"], report["mismatches"]) == (0, True, [])
    assert report["checked_events"] == report["head"] == 22
    assert report["compared_up_to"] == 22


@pytest.mark.usefixtures("office")
def test_an_updated_event_is_named_by_position(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An UPDATE of one stored event's content: exit 1, the break at that position only."""
    execute(database_url, RENAME)
    code, report = verify(database_url, capsys, "--log-only")
    assert code == 1
    assert [(m["position"], m["problem"]) for m in report["mismatches"]] == [(9, "altered")]


@pytest.mark.usefixtures("office")
def test_a_deleted_event_is_named_by_position(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A DELETE of one stored event: exit 1, reported as deleted at its position; deleting
    its seal too shows as a break at the next position."""
    execute(database_url, "DELETE FROM stored_events WHERE notification_id = 12")
    code, report = verify(database_url, capsys, "--log-only")
    assert code == 1
    assert [(m["position"], m["problem"]) for m in report["mismatches"]] == [(12, "deleted")]

    execute(database_url, "DELETE FROM audit_chain WHERE notification_id = 12")
    code, report = verify(database_url, capsys, "--log-only")
    assert code == 1
    assert [(m["position"], m["problem"]) for m in report["mismatches"]] == [(13, "altered")]


@pytest.mark.usefixtures("office")
def test_a_rewritten_chain_is_caught_by_an_exported_checkpoint(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Someone who edits an event and recomputes the chain from there passes the chain
    check, but not a checkpoint exported before."""
    assert admin.audit_checkpoint(Settings(database=DatabaseSettings(url=database_url))) == 0
    saved = tmp_path / "checkpoint.json"
    saved.write_text(capsys.readouterr().out)
    execute(
        database_url,
        RENAME
        + """;
           DO $$ DECLARE prev bytea; r record; BEGIN
             SELECT hash INTO prev FROM audit_chain WHERE notification_id = 8;
             FOR r IN SELECT * FROM stored_events WHERE notification_id >= 9
                      ORDER BY notification_id LOOP
               prev := audit_link(prev, r.notification_id, r.originator_id,
                                  r.originator_version, r.topic, r.state);
               UPDATE audit_chain SET hash = prev WHERE notification_id = r.notification_id;
             END LOOP; END $$""",
    )
    assert verify(database_url, capsys, "--log-only")[0] == 0
    code, report = verify(database_url, capsys, "--log-only", saved)
    assert code == 1
    assert [(m["position"], m["problem"]) for m in report["mismatches"]] == [(22, "checkpoint")]


@pytest.mark.usefixtures("office")
def test_a_read_model_edited_by_sql_is_a_mismatch(
    database_url: str, capsys: pytest.CaptureFixture[str], store: EventStore
) -> None:
    """A total changed in the live orders model is reported with its projection, key and
    field; events not yet applied by the live models are not mismatches."""
    execute(database_url, "UPDATE read.orders SET total = total + 1 WHERE tg_id = 2001")
    events, _, _ = office_history(History())
    store.append([(oid, version + 100, event) for oid, version, event in events[-3:]])
    code, report = verify(database_url, capsys)
    assert code == 1
    found = {(m["projection"], m["table"], tuple(m["fields"])) for m in report["mismatches"]}
    assert found == {("orders", "orders", ("total",))}
    assert len(report["mismatches"]) == 2
    assert report["compared_up_to"] == 22


@pytest.mark.usefixtures("office")
def test_orders_from_before_their_change_column_verify(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rows written before read.orders kept the notification id of their last change hold
    its default, 0: bookkeeping the audit does not compare (``Projection.unverified``)."""
    execute(database_url, "UPDATE read.orders SET notification_id = 0")
    code, report = verify(database_url, capsys)
    assert (code, report["mismatches"]) == (0, [])


@pytest.mark.usefixtures("office")
def test_a_checkpoint_signed_with_the_settings_key_needs_that_key(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`checkpoint` signs with LUNCH_AUDIT_KEY from the settings; verify accepts the
    checkpoint under the same key and names a signature mismatch under another."""
    signing = Settings.from_env({"DATABASE_URL": database_url, "LUNCH_AUDIT_KEY": "k" * 32})
    assert admin.audit_checkpoint(signing) == 0
    saved = tmp_path / "checkpoint.json"
    saved.write_text(capsys.readouterr().out)
    assert msgspec.json.decode(saved.read_bytes())["signature"]

    assert admin.audit_verify(signing, saved, logs_only=True) == 0
    capsys.readouterr()
    other = Settings(database=DatabaseSettings(url=database_url), audit=AuditSettings(key="z" * 32))
    assert admin.audit_verify(other, saved, logs_only=True) == 1
    report = msgspec.json.decode(capsys.readouterr().out)
    assert [m["problem"] for m in report["mismatches"]] == ["checkpoint_signature"]
