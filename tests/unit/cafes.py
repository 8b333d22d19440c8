"""A cafe open for orders, as the write side's unit tests start from it."""

from __future__ import annotations

from commands.messages import ComboInput, DishInput, ExtraInput
from commands.service import LunchService
from domain import cafe as cafe_model


def open_cafe(service: LunchService) -> cafe_model.CafeState:
    """Blini: one soup, one extra, one combo, open Monday to Friday until 11:00."""
    cafe = service.register_cafe("Blini", "Europe/Moscow", "RUB", actor="1001").value
    service.set_menu(
        cafe.id,
        [DishInput(name="Borsch", category="soup", price=20000)],
        [ExtraInput(name="Bread", price=2000)],
        actor="1001",
    )
    service.set_combos(
        cafe.id, [ComboInput(name="Soup", price=25000, categories=["soup"])], actor="1001"
    )
    return service.set_schedule(cafe.id, [0, 1, 2, 3, 4], "11:00", actor="1001").value
