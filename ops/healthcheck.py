"""``python -m ops.healthcheck URL``: exit 0 when URL answers 200 within two seconds.

Container health checks use it (the runtime image has no curl): the api's ``/health``, and
the metrics endpoint every other component serves on ``LUNCH_METRICS_PORT``.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from collections.abc import Sequence

OK = 200


def answers(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own URL
            return bool(response.status == OK)
    except (urllib.error.URLError, OSError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        sys.stderr.write("usage: python -m ops.healthcheck URL\n")
        return 2
    return 0 if answers(args[0]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
