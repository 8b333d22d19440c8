"""Logging in: Telegram initData, the development login, tokens and who may log in."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

import msgspec
import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.initdata import sign
from commands.settings import Settings
from tests.integration.api.conftest import (
    AUDITOR,
    BOT_TOKEN,
    EMPLOYEE,
    MANAGER,
    NOW,
    Clock,
    login,
)

ROSTER = "tg_id,name,office,role\n2001,Анна,HQ,employee\n3001,Вера,HQ,auditor\n"


def init_data(tg_id: int, *, auth_date: dt.datetime = NOW, token: str = BOT_TOKEN) -> str:
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps({"id": tg_id, "first_name": "Test", "username": "t"}),
        "auth_date": str(int(auth_date.timestamp())),
    }
    return urlencode({**fields, "hash": sign(fields, token)})


@pytest.fixture
def roster(write_client: TestClient[Any]) -> TestClient[Any]:
    manager = login(write_client, MANAGER)
    imported = write_client.post("/api/employees/import", content=ROSTER.encode(), headers=manager)
    assert imported.json()["added"] == 2, imported.text
    return write_client


def test_dev_login_gives_each_role_its_token(roster: TestClient[Any]) -> None:
    """LUNCH_MANAGERS are managers; others get their directory role."""
    for tg_id, role in ((MANAGER, "manager"), (EMPLOYEE, "employee"), (AUDITOR, "auditor")):
        response = roster.post("/api/auth/dev", json={"tg_id": tg_id})
        assert response.status_code == 200, response.text
        assert response.json()["user"]["role"] == role
        assert response.json()["user"]["tg_id"] == tg_id
        me = roster.get("/api/me", headers={"Authorization": f"Bearer {response.json()['token']}"})
        assert me.status_code == 200, me.text
        assert me.json()["role"] == role
    assert roster.get("/api/me", headers=login(roster, EMPLOYEE)).json()["name"] == "Анна"


def test_unknown_user_is_forbidden(roster: TestClient[Any]) -> None:
    """Unknown user is forbidden."""
    response = roster.post("/api/auth/dev", json={"tg_id": 777})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_deactivated_employee_cannot_log_in(roster: TestClient[Any]) -> None:
    """Deactivated employee cannot log in."""
    manager = login(roster, MANAGER)
    patched = roster.patch(f"/api/employees/{EMPLOYEE}", json={"active": False}, headers=manager)
    assert patched.status_code == 200, patched.text
    assert patched.json()["active"] is False
    assert roster.post("/api/auth/dev", json={"tg_id": EMPLOYEE}).status_code == 403
    assert (
        roster.post("/api/auth/telegram", json={"init_data": init_data(EMPLOYEE)}).status_code
        == 403
    )


def test_auth_config_tells_whether_dev_login_exists(roster: TestClient[Any]) -> None:
    """Auth config tells whether dev login exists."""
    assert roster.get("/api/auth/config").json() == {"dev_login": True}


def test_without_dev_login_the_route_does_not_exist(
    make_client: Callable[..., TestClient[Any]], roster: TestClient[Any]
) -> None:
    """Without dev login the route does not exist."""
    client = make_client(auth={"dev_login": False})
    assert client.get("/api/auth/config").json() == {"dev_login": False}
    response = client.post("/api/auth/dev", json={"tg_id": MANAGER})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_telegram_login_with_signed_init_data(roster: TestClient[Any]) -> None:
    """Signed initData of a known employee logs in and returns a token and the user."""
    response = roster.post("/api/auth/telegram", json={"init_data": init_data(EMPLOYEE)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"] == {"tg_id": EMPLOYEE, "name": "Анна", "office": "HQ", "role": "employee"}
    me = roster.get("/api/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["tg_id"] == EMPLOYEE


@pytest.mark.parametrize(
    "raw",
    [
        init_data(EMPLOYEE, token="1:other-bot"),
        init_data(EMPLOYEE, auth_date=NOW - dt.timedelta(hours=25)),
        init_data(EMPLOYEE, auth_date=NOW + dt.timedelta(hours=1)),
        init_data(EMPLOYEE).replace("2001", "3001"),
        "user=%7B%22id%22%3A2001%7D&auth_date=1&hash=00",
    ],
    ids=["wrong-bot", "stale", "future", "tampered", "forged"],
)
def test_bad_or_stale_init_data_is_401(roster: TestClient[Any], raw: str) -> None:
    """Bad or stale init data is 401."""
    response = roster.post("/api/auth/telegram", json={"init_data": raw})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_telegram_login_of_someone_unknown_is_403(roster: TestClient[Any]) -> None:
    """Telegram login of someone unknown is 403."""
    response = roster.post("/api/auth/telegram", json={"init_data": init_data(555)})
    assert response.status_code == 403


def test_tokens_expire_after_twelve_hours(roster: TestClient[Any], clock: Clock) -> None:
    """Tokens expire after twelve hours."""
    headers = login(roster, EMPLOYEE)
    clock.instant = NOW + dt.timedelta(hours=11, minutes=59)
    assert roster.get("/api/me", headers=headers).status_code == 200
    clock.instant = NOW + dt.timedelta(hours=12)
    expired = roster.get("/api/me", headers=headers)
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "unauthenticated"


def test_a_token_signed_with_another_secret_is_401(
    make_client: Callable[..., TestClient[Any]], roster: TestClient[Any]
) -> None:
    """A token signed with another secret is 401."""
    stranger = make_client(auth={"jwt_secret": "another-secret-of-at-least-32-bytes"})
    headers = login(stranger, MANAGER)
    assert roster.get("/api/me", headers=headers).status_code == 401


def test_production_refuses_to_start_with_dev_login(settings: Settings) -> None:
    """LUNCH_DEV_LOGIN=1 with LUNCH_ENV=production never serves a request."""
    production = msgspec.structs.replace(settings, env="production")
    nothing = cast(Any, None)
    with pytest.raises(SystemExit, match="LUNCH_DEV_LOGIN"):
        create_app(production, nothing, nothing, nothing)
