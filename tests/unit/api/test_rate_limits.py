"""Rate limits come from the environment, with defaults for everything unset."""

from __future__ import annotations

import pytest

from api.ratelimit import RateLimited, RateLimits


def test_defaults_when_the_environment_says_nothing() -> None:
    """Rate limits take their defaults when the environment sets none."""
    assert RateLimits.from_env({}) == RateLimits(
        per_user=600, auth_per_address=3000, auth_failures_per_address=30, window_seconds=60
    )


def test_every_limit_is_read_from_the_environment() -> None:
    """Every limit is read from the environment."""
    limits = RateLimits.from_env(
        {
            "LUNCH_RATE_LIMIT_PER_USER": "50",
            "LUNCH_RATE_LIMIT_AUTH_PER_IP": "0",
            "LUNCH_RATE_LIMIT_AUTH_FAILURES_PER_IP": "5",
            "LUNCH_RATE_LIMIT_WINDOW_SECONDS": "10",
        }
    )
    assert limits == RateLimits(
        per_user=50, auth_per_address=0, auth_failures_per_address=5, window_seconds=10
    )


def test_a_negative_limit_is_refused_at_start() -> None:
    """A negative limit is refused at start."""
    with pytest.raises(SystemExit, match="LUNCH_RATE_LIMIT_PER_USER"):
        RateLimits.from_env({"LUNCH_RATE_LIMIT_PER_USER": "-1"})


def test_retry_after_is_whole_seconds_and_at_least_one() -> None:
    """Retry after is whole seconds and at least one."""
    assert RateLimited(0.2, 5, 60).headers == {"Retry-After": "1"}
    assert RateLimited(12.01, 5, 60).headers == {"Retry-After": "13"}
