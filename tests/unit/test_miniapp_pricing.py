"""The server prices the Mini App's shared fixtures exactly as the Mini App does."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from domain import events as ev
from domain.cafe import CafeState
from domain.errors import DomainError
from domain.pricing import ExtraLine, OrderRequest, price_order

FIXTURES = Path(__file__).resolve().parents[2] / "miniapp" / "test" / "fixtures" / "pricing.json"
SHARED: dict[str, Any] = json.loads(FIXTURES.read_text())


def cafe_of(menu: dict[str, Any]) -> CafeState:
    return CafeState(
        id=uuid.uuid4(),
        name="Cafe",
        timezone="Europe/Moscow",
        currency="RUB",
        dishes=tuple(
            ev.Dish(
                id=uuid.UUID(d["id"]),
                name=d["name"],
                category=d["category"],
                price=d["price"],
                available=d["available"],
            )
            for d in menu["dishes"]
        ),
        extras=tuple(
            ev.Extra(
                id=uuid.UUID(e["id"]), name=e["name"], price=e["price"], available=e["available"]
            )
            for e in menu["extras"]
        ),
        combos=tuple(
            ev.Combo(
                id=uuid.UUID(c["id"]),
                name=c["name"],
                price=c["price"],
                categories=tuple(c["categories"]),
            )
            for c in menu["combos"]
        ),
    )


@pytest.mark.parametrize("case", SHARED["cases"], ids=[c["name"] for c in SHARED["cases"]])
def test_the_server_agrees_with_the_mini_app_on_each_shared_case(case: dict[str, Any]) -> None:
    """Same menu, same request: the server's total or refusal code is the fixture's."""
    cafe = cafe_of(SHARED["menu"])
    request = OrderRequest(
        cafe_id=cafe.id,
        date=dt.date(2026, 11, 30),
        combo_id=uuid.UUID(case["combo_id"]),
        dishes={k: uuid.UUID(v) for k, v in case["dishes"].items()},
        extras=tuple(ExtraLine(uuid.UUID(e["extra_id"]), e["qty"]) for e in case["extras"]),
    )
    if "total" in case:
        assert price_order(cafe, request).total == case["total"]
    else:
        with pytest.raises(DomainError) as refused:
            price_order(cafe, request)
        assert refused.value.code == case["error"]
