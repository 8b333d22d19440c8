"""The demo office that `lunch run` seeds into an empty event store.

Manager 1001, auditor 3001, employees 2001–2010 in office HQ, and three cafes with menus,
combos, extras and a schedule. The cafes serve every day with a late cutoff so the demo
can be tried at any hour; a real office sets its own schedule from the manager screens.
"""

from __future__ import annotations

from commands.messages import ComboInput, DishInput, ExtraInput
from commands.service import LunchService
from domain.dish_tags import DishTag
from domain.events import SYSTEM

EMPLOYEES = [
    (2001, "Anna Petrova"),
    (2002, "Boris Ivanov"),
    (2003, "Vera Smirnova"),
    (2004, "Gleb Kuznetsov"),
    (2005, "Daria Popova"),
    (2006, "Egor Sokolov"),
    (2007, "Zhanna Lebedeva"),
    (2008, "Ilya Kozlov"),
    (2009, "Kira Novikova"),
    (2010, "Lev Morozov"),
]

CAFES = [
    (
        "Blini & Borsch",
        "23:00",
        [
            ("salad", "Olivier", 14000),
            ("salad", "Vinegret", 12000),
            ("soup", "Borsch with sour cream", 19000),
            ("soup", "Solyanka", 21000),
            ("main", "Pelmeni", 26000),
            ("main", "Chicken Kiev with mash", 31000),
        ],
        [("Bread", 2000), ("Mors", 6000), ("Syrniki", 9000)],
    ),
    (
        "Green Bowl",
        "23:30",
        [
            ("salad", "Caesar", 18000),
            ("salad", "Greek", 16000),
            ("soup", "Pumpkin cream soup", 17000),
            ("soup", "Minestrone", 16000),
            ("main", "Quinoa bowl with salmon", 34000),
            ("main", "Falafel bowl", 27000),
        ],
        [("Lemonade", 7000), ("Granola bar", 5000)],
    ),
    (
        "Pho Hanoi",
        "22:30",
        [
            ("salad", "Papaya salad", 15000),
            ("soup", "Pho bo", 29000),
            ("soup", "Tom yum", 31000),
            ("main", "Pad thai with chicken", 30000),
            ("main", "Bun cha", 28000),
        ],
        [("Spring rolls", 9000), ("Iced tea", 6000)],
    ),
]


# Badges for the Mini App's tag filter; dishes not named here carry none.
TAGS: dict[str, list[DishTag]] = {
    "Vinegret": ["vegetarian", "vegan", "gluten_free"],
    "Borsch with sour cream": ["vegetarian"],
    "Pelmeni": ["pork"],
    "Greek": ["vegetarian", "gluten_free"],
    "Pumpkin cream soup": ["vegetarian", "vegan", "lactose_free"],
    "Minestrone": ["vegetarian", "vegan"],
    "Quinoa bowl with salmon": ["fish", "gluten_free", "lactose_free"],
    "Falafel bowl": ["vegetarian", "vegan", "lactose_free"],
    "Papaya salad": ["spicy", "nuts", "fish"],
    "Tom yum": ["spicy", "fish"],
    "Pad thai with chicken": ["nuts", "lactose_free"],
    "Bun cha": ["pork", "lactose_free"],
}


def seed_if_empty(service: LunchService) -> bool:
    """Seed the demo office into an empty store; True if it did."""
    if service.store.head() > 0:
        return False
    service.upsert_employee(1001, name="Maria Manager", office="HQ", role="manager", actor=SYSTEM)
    service.upsert_employee(3001, name="Oleg Auditor", office="HQ", role="auditor", actor=SYSTEM)
    for tg_id, name in EMPLOYEES:
        service.upsert_employee(
            tg_id, name=name, office="HQ", monthly_limit=1_000_000, actor=SYSTEM
        )
    for name, cutoff, dishes, extras in CAFES:
        cafe = service.register_cafe(name, "Europe/Moscow", "RUB", actor=SYSTEM).value
        service.set_menu(
            cafe.id,
            [DishInput(name=n, category=c, price=p, tags=TAGS.get(n, [])) for c, n, p in dishes],
            [ExtraInput(name=n, price=p) for n, p in extras],
            actor=SYSTEM,
        )
        service.set_combos(
            cafe.id,
            [
                ComboInput(name="Full lunch", price=45000, categories=["salad", "soup", "main"]),
                ComboInput(name="Soup and main", price=38000, categories=["soup", "main"]),
                ComboInput(name="Salad and soup", price=27000, categories=["salad", "soup"]),
            ],
            actor=SYSTEM,
        )
        service.set_schedule(cafe.id, list(range(7)), cutoff, actor=SYSTEM)
    return True
