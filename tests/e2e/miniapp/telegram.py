"""What Telegram hands a Mini App, made up for tests: signed initData, themes, the fake script."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from api.initdata import sign

BOT_TOKEN = "123456:TEST-miniapp-bot-token"
FAKE_SCRIPT = Path(__file__).with_name("fake_telegram.js")

# Telegram iOS's default themes, the colours a phone really sends.
LIGHT = {
    "bg_color": "#ffffff",
    "secondary_bg_color": "#efeff4",
    "section_bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#8e8e93",
    "subtitle_text_color": "#8e8e93",
    "link_color": "#007aff",
    "accent_text_color": "#007aff",
    "button_color": "#007aff",
    "button_text_color": "#ffffff",
    "header_bg_color": "#f8f8f8",
    "bottom_bar_bg_color": "#f2f2f7",
    "section_header_text_color": "#6d6d72",
    "section_separator_color": "#c8c7cc",
    "destructive_text_color": "#ff3b30",
}
DARK = {
    "bg_color": "#000000",
    "secondary_bg_color": "#1c1c1d",
    "section_bg_color": "#2c2c2e",
    "text_color": "#ffffff",
    "hint_color": "#98989e",
    "subtitle_text_color": "#98989e",
    "link_color": "#3e88f7",
    "accent_text_color": "#3e88f7",
    "button_color": "#3e88f7",
    "button_text_color": "#ffffff",
    "header_bg_color": "#1a1a1a",
    "bottom_bar_bg_color": "#1d1d1d",
    "section_header_text_color": "#8d8e93",
    "section_separator_color": "#545458",
    "destructive_text_color": "#eb5545",
}
THEMES = {"light": LIGHT, "dark": DARK}


def signed_init_data(tg_id: int, *, lang: str = "ru", first_name: str = "Test") -> str:
    """initData as Telegram builds it for this user now, signed with the test bot token."""
    user = {"id": tg_id, "first_name": first_name, "language_code": lang}
    fields = {
        "query_id": f"AAH{tg_id}",
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
        "auth_date": str(int(time.time())),
    }
    fields["hash"] = sign(fields, BOT_TOKEN)
    return urlencode(fields)


def fake_script(
    tg_id: int, *, lang: str = "ru", scheme: str = "light", confirm: bool = True
) -> str:
    """The fake telegram-web-app.js for one user, language and theme."""
    config: dict[str, Any] = {
        "initData": signed_init_data(tg_id, lang=lang),
        "user": {"id": tg_id, "first_name": "Test", "language_code": lang},
        "authDate": int(time.time()),
        "colorScheme": scheme,
        "themeParams": THEMES[scheme],
        "safeAreaInset": {"top": 0, "bottom": 0, "left": 0, "right": 0},
        "contentSafeAreaInset": {"top": 0, "bottom": 0, "left": 0, "right": 0},
        "confirm": confirm,
    }
    return FAKE_SCRIPT.read_text().replace("__CONFIG__", json.dumps(config))
