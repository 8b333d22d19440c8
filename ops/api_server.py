"""`lunch serve api`: uvicorn with ``LUNCH_HTTP_WORKERS`` processes behind one port.

One process serves one core at most (the GIL), so by default the api starts a worker per
CPU. Workers are fresh interpreters (uvicorn spawns them): each builds its own app from the
parent's settings, handed over in an environment variable because ``lunch`` may have read
the service addresses from ``stack.env`` rather than the environment.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import msgspec

from ops import logs
from ops.codecs import use_msgspec_for_json

if TYPE_CHECKING:
    from commands.settings import Settings

SETTINGS_VAR = "LUNCH_API_WORKER_SETTINGS"


def worker_count(settings: Settings) -> int:
    return settings.http.workers or os.cpu_count() or 1


def worker_app() -> Any:
    """uvicorn's app factory in each worker process."""
    from commands.settings import Settings

    logs.configure(component="api")
    use_msgspec_for_json()
    from api.main import build_app

    settings = msgspec.json.decode(os.environ[SETTINGS_VAR], type=Settings)
    return build_app(settings)


def serve_api(settings: Settings) -> None:
    import uvicorn

    from api.main import build_app

    # log_config=None: uvicorn logs through our JSON-lines handler; the api logs requests.
    common: dict[str, Any] = {
        "host": settings.http.host,
        "port": settings.http.port,
        "log_config": None,
        "access_log": False,
    }
    workers = worker_count(settings)
    if workers == 1:
        uvicorn.run(build_app(settings), **common)
        return
    os.environ[SETTINGS_VAR] = msgspec.json.encode(settings).decode()
    uvicorn.run("ops.api_server:worker_app", factory=True, workers=workers, **common)
