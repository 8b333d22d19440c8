"""`lunch serve api`: uvicorn with ``LUNCH_HTTP_WORKERS`` processes behind one port.

One process serves one core at most (the GIL), so by default the api starts a worker per
CPU. Workers are fresh interpreters (uvicorn spawns them): each builds its own app from the
parent's settings, handed over in an environment variable because ``lunch`` may have read
the service addresses from ``stack.env`` rather than the environment. A worker ends with
its parent even when the parent is killed with SIGKILL (``ops.lifeline``): left behind, it
would go on serving the port and the api started next could not bind it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import msgspec

from ops import logs
from ops.codecs import use_msgspec_for_json
from ops.heap import freeze_startup_heap
from ops.lifeline import SUPERVISOR_PID, die_with_parent

if TYPE_CHECKING:
    from commands.settings import Settings

SETTINGS_VAR = "LUNCH_API_WORKER_SETTINGS"
PARENT_VAR = "LUNCH_API_PARENT_PID"


def worker_count(settings: Settings) -> int:
    return settings.http.workers or os.cpu_count() or 1


def worker_app() -> Any:
    """uvicorn's app factory in each worker process."""
    from commands.settings import Settings

    die_with_parent({SUPERVISOR_PID: os.environ.get(PARENT_VAR, "")})
    logs.configure(component="api")
    use_msgspec_for_json()
    settings = msgspec.json.decode(os.environ[SETTINGS_VAR], type=Settings)
    return built_app(settings)


def built_app(settings: Settings) -> Any:
    """The api of one process; what it loaded is frozen once it has started."""
    from api.main import build_app

    app = build_app(settings)
    app.on_startup.append(freeze_startup_heap)
    return app


WORKER_PING_SECONDS = 30


def serve_api(settings: Settings) -> None:
    import uvicorn

    # log_config=None: uvicorn logs through our JSON-lines handler; the api logs requests.
    common: dict[str, Any] = {
        "host": settings.http.host,
        "port": settings.http.port,
        "log_config": None,
        "access_log": False,
    }
    workers = worker_count(settings)
    if workers == 1:
        uvicorn.run(built_app(settings), **common)
        return
    os.environ[SETTINGS_VAR] = msgspec.json.encode(settings).decode()
    os.environ[PARENT_VAR] = str(os.getpid())
    # uvicorn kills a worker that does not answer its ping in time (5 s by default); on a
    # starved CPU a worker still importing the app misses that, and the restarts loop.
    uvicorn.run(
        "ops.api_server:worker_app",
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=WORKER_PING_SECONDS,
        **common,
    )
