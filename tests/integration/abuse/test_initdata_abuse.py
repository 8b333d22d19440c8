"""Forged, stale or malformed Telegram initData: 401, and every refusal reads the same."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from litestar.testing import TestClient

from api.initdata import MAX_INIT_DATA, sign
from tests.integration.api.conftest import BOT_TOKEN, EMPLOYEE, NOW
from tests.integration.api.office import seed

USER = {"id": EMPLOYEE, "first_name": "Анна", "username": "anna"}


def fields_of(
    *, user: dict[str, Any] = USER, auth_date: dt.datetime = NOW, **extra: str
) -> dict[str, str]:
    return {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, ensure_ascii=False),
        "auth_date": str(int(auth_date.timestamp())),
        **extra,
    }


def signed(fields: dict[str, str], token: str = BOT_TOKEN) -> dict[str, str]:
    return {**fields, "hash": sign(fields, token)}


def tampered(name: str, value: str) -> str:
    return urlencode({**signed(fields_of()), name: value})


FORGED: dict[str, str] = {
    "user id changed": tampered("user", json.dumps({**USER, "id": 3001})),
    "auth_date moved": tampered("auth_date", str(int(NOW.timestamp()) + 1)),
    "query_id changed": tampered("query_id", "BAHdF6IQAAAAAN0XohDhrOrc"),
    "role field added": urlencode({**signed(fields_of()), "role": "manager"}),
    "foreign bot token": urlencode(signed(fields_of(), token="777:someone-elses-bot")),
    "stale (25 h)": urlencode(signed(fields_of(auth_date=NOW - dt.timedelta(hours=25)))),
    "future (1 h)": urlencode(signed(fields_of(auth_date=NOW + dt.timedelta(hours=1)))),
    "duplicated user": urlencode(signed(fields_of())) + "&user=" + json.dumps({**USER, "id": 3001}),
    "duplicated hash": urlencode(signed(fields_of())) + "&hash=" + "0" * 64,
    "missing hash": urlencode(fields_of()),
    "empty hash": urlencode({**fields_of(), "hash": ""}),
    "hash in upper case": urlencode({**fields_of(), "hash": signed(fields_of())["hash"].upper()}),
    "signature added after signing": tampered("signature", "A" * 86),
    "signature dropped": urlencode(
        {k: v for k, v in signed(fields_of(signature="A" * 86)).items() if k != "signature"}
    ),
    "id beyond 2^53, signed": urlencode(signed(fields_of(user={**USER, "id": 2**60}))),
    "user not JSON, signed": urlencode(signed({**fields_of(), "user": "{"})),
    "auth_date not a number, signed": urlencode(signed({**fields_of(), "auth_date": "9e99"})),
    "no user, signed": urlencode(signed({"auth_date": str(int(NOW.timestamp()))})),
    "not a query string": "%%%",
    "bare words": "hello",
}


@pytest.fixture
def office(write_client: TestClient[Any]) -> TestClient[Any]:
    seed(write_client, read_side=False)
    return write_client


def login(client: TestClient[Any], raw: str) -> Any:
    return client.post("/api/auth/telegram", json={"init_data": raw})


def test_genuine_init_data_logs_in(office: TestClient[Any]) -> None:
    """The baseline the forgeries are measured against: a genuine initData is 200."""
    response = login(office, urlencode(signed(fields_of())))
    assert response.status_code == 200, response.text
    assert response.json()["user"]["tg_id"] == EMPLOYEE


def test_a_signature_field_signed_by_telegram_is_accepted(office: TestClient[Any]) -> None:
    """Bot API 8 adds ``signature``; it is one more signed field, covered by ``hash``."""
    response = login(office, urlencode(signed(fields_of(signature="A" * 86))))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("raw", FORGED.values(), ids=FORGED.keys())
def test_forged_init_data_is_401(office: TestClient[Any], raw: str) -> None:
    """Each forgery is refused with 401 unauthenticated."""
    response = login(office, raw)
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "unauthenticated"


def test_every_refusal_reads_the_same(office: TestClient[Any]) -> None:
    """No refusal tells which check failed: same status, headers that matter, and body."""
    answers = {name: login(office, raw) for name, raw in FORGED.items()}
    bodies = {name: r.content for name, r in answers.items()}
    assert len(set(bodies.values())) == 1, bodies
    assert {r.headers.get("content-type") for r in answers.values()} == {"application/json"}
    assert len({r.headers.get("www-authenticate") for r in answers.values()}) == 1


def test_init_data_over_the_documented_length_is_400_before_any_check(
    office: TestClient[Any],
) -> None:
    """An oversized initData is refused by the documented maxLength, never hashed."""
    raw = urlencode(signed(fields_of(user={**USER, "first_name": "Я" * MAX_INIT_DATA})))
    response = login(office, raw)
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "init_data"


def test_a_body_over_one_megabyte_is_413(office: TestClient[Any]) -> None:
    response = office.post(
        "/api/auth/telegram",
        content=b'{"init_data": "' + b"a" * 1_100_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
