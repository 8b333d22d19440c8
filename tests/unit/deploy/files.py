"""Reading the deployment files the way compose and Docker would, for the tests beside this."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("domain", "commands", "projections", "api", "notifier", "recommender", "ops")
# `${NAME}`, `${NAME:-default}`, `${NAME:?message}`; defaults may nest another `${...}`.
_VARIABLE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)")
_ASSIGNMENT = re.compile(r"^([A-Z_][A-Z0-9_]*)=", re.MULTILINE)

# The environment of CONTRACT.md: every one must be documented in .env.example.
CONTRACT_VARIABLES = (
    "DATABASE_URL", "REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_TOPIC_PREFIX",
    "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE", "MINIAPP_URL", "GEMINI_API_KEYS",
    "GEMINI_BASE_URL", "GEMINI_MODEL", "GEMINI_REQUESTS_PER_KEY", "JWT_SECRET", "LUNCH_ENV",
    "LUNCH_DEV_LOGIN", "LUNCH_MANAGERS", "LUNCH_HTTP_HOST", "LUNCH_HTTP_PORT", "LUNCH_TIMEZONE",
)  # fmt: skip


def load(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / name).read_text("utf-8"))
    assert isinstance(loaded, dict), name
    return loaded


def interpolated(name: str) -> set[str]:
    """Names compose substitutes from the environment or .env (``$$`` escapes excluded)."""
    text = (ROOT / name).read_text("utf-8").replace("$$", "")
    return set(_VARIABLE.findall(text))


def env_example() -> str:
    return (ROOT / ".env.example").read_text("utf-8")


def env_example_names() -> set[str]:
    return set(_ASSIGNMENT.findall(env_example()))


@cache
def python_sources() -> str:
    return "\n".join(
        path.read_text("utf-8") for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    )


def read_by_code(name: str) -> bool:
    """The name appears as a string literal in our Python sources."""
    return f'"{name}"' in python_sources()
