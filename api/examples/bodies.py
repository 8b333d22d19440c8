"""Examples of the request and response bodies of the office's routes."""

from __future__ import annotations

from typing import Any

CAFE_ID = "5b1f2c4e-8a7d-4c3b-9e21-0f6a7d3c2b10"
COMBO_ID = "0c9e4a61-2f3b-4d8e-a5c7-19b2e6f40d33"
SALAD_ID = "7d2a9f10-4b6c-4e8a-b3d1-5c0e9a8f7b21"
MAIN_ID = "a41c7e92-6d3f-4b1a-8e5c-2f9d0b7a6c54"
EXTRA_ID = "e8f3b2d1-9c4a-4f6e-b7a0-3d5c1e2f4a96"
ORDER_ID = "3f8e2a1b-7c6d-5e4f-9a0b-1c2d3e4f5a6b"
REQUEST_ID = "9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d"

CAFE = {
    "id": CAFE_ID,
    "name": "Пельменная",
    "timezone": "Europe/Moscow",
    "currency": "RUB",
    "active": True,
    "linked": True,
    "deadline": "2026-11-26T11:00:00+03:00",
    "ordering_open": True,
    "date": "2026-11-26",
    "weekdays": [0, 1, 2, 3, 4],
    "cutoff": "11:00",
}

ORDER_IN = {
    "cafe_id": CAFE_ID,
    "date": "2026-11-26",
    "combo_id": COMBO_ID,
    "dishes": {"salad": SALAD_ID, "main": MAIN_ID},
    "extras": [{"extra_id": EXTRA_ID, "qty": 1}],
    "note": "без лука",
}

ORDER_OUT = {
    "id": ORDER_ID,
    "tg_id": 2001,
    "cafe_id": CAFE_ID,
    "cafe_name": "Пельменная",
    "date": "2026-11-26",
    "combo_id": COMBO_ID,
    "combo_name": "Лёгкий",
    "dishes": [
        {"category": "salad", "dish_id": SALAD_ID, "name": "Оливье"},
        {"category": "main", "dish_id": MAIN_ID, "name": "Котлета"},
    ],
    "extras": [{"extra_id": EXTRA_ID, "name": "Морс", "qty": 1, "price": 5000}],
    "total": 40000,
    "currency": "RUB",
    "note": "без лука",
    "status": "placed",
    "placed_at": "2026-11-26T09:12:03+03:00",
    "updated_at": "2026-11-26T09:12:03+03:00",
    "editable_until": "2026-11-26T11:00:00+03:00",
}

USER = {"tg_id": 2001, "name": "Анна Петрова", "office": "HQ", "role": "employee"}

BODIES: dict[str, dict[str, Any]] = {
    "TelegramLogin": {
        "init_data": "query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A2001%7D"
        "&auth_date=1795676400&hash=c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2"
    },
    "DevLogin": {"tg_id": 2001},
    "LoginOut": {"token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig", "user": USER},
    "MeOut": {
        **USER,
        "monthly_limit": 500000,
        "spent_this_month": 120000,
        "orders_this_month": 3,
    },
    "CafeOut": CAFE,
    "MenuOut": {
        "cafe": CAFE,
        "dishes": [
            {
                "id": SALAD_ID,
                "name": "Оливье",
                "category": "salad",
                "price": 15000,
                "available": True,
                "description": "",
                "tags": [],
            },
            {
                "id": MAIN_ID,
                "name": "Котлета",
                "category": "main",
                "price": 28000,
                "available": True,
                "description": "с пюре",
                "tags": ["pork"],
            },
        ],
        "combos": [
            {"id": COMBO_ID, "name": "Лёгкий", "price": 35000, "categories": ["salad", "main"]}
        ],
        "extras": [{"id": EXTRA_ID, "name": "Морс", "price": 5000, "available": True}],
    },
    "OrderIn": ORDER_IN,
    "OrderOut": ORDER_OUT,
    "NewCafe": {"name": "Пельменная", "timezone": "Europe/Moscow", "currency": "RUB"},
    "MenuIn": {
        "dishes": [
            {"name": "Оливье", "category": "salad", "price": 15000},
            {
                "id": MAIN_ID,
                "name": "Котлета",
                "category": "main",
                "price": 28000,
                "tags": ["pork"],
            },
        ],
        "extras": [{"name": "Морс", "price": 5000}],
    },
    "CombosIn": {"combos": [{"name": "Лёгкий", "price": 35000, "categories": ["salad", "main"]}]},
    "ScheduleIn": {"weekdays": [0, 1, 2, 3, 4], "cutoff": "11:00"},
    "ImportOut": {
        "added": 2,
        "updated": 1,
        "errors": [{"line": 4, "reason": "tg_id: not a number"}],
    },
    "EmployeeOut": {**USER, "active": True, "monthly_limit": 500000},
    "EmployeeChange": {"office": "Склад", "monthly_limit": 450000},
    "CafeRequestOut": {
        "id": REQUEST_ID,
        "chat_id": -1001234567890,
        "chat_title": "Пельменная на Ленина",
        "requested_by": 5550001,
        "requested_at": "2026-11-20T14:03:00+03:00",
        "status": "approved",
        "cafe_id": CAFE_ID,
        "reason": "",
        "decided_at": "2026-11-20T15:10:00+03:00",
    },
}

ROSTER_CSV = "tg_id,name,office,role,monthly_limit\n2001,Анна Петрова,HQ,employee,500000\n"
REPORT_CSV = "order_id,tg_id,name,office,combo,dishes,extras,total\n"
