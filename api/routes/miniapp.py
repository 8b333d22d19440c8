"""``GET /``: the built Mini App (miniapp/dist), or a placeholder page until it is built.

Vite names every asset by its content hash, so ``/assets/*`` may be cached for a year;
``index.html`` names the current assets and must be revalidated on every launch.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Response, get
from litestar.datastructures import CacheControlHeader
from litestar.handlers import HTTPRouteHandler
from litestar.router import Router
from litestar.static_files import create_static_files_router

from api.auth import PUBLIC

DIST = Path(__file__).resolve().parents[2] / "miniapp" / "dist"
YEAR = 365 * 24 * 3600

PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lunch</title></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem">
<h1>Lunch</h1>
<p>The API is running. The Mini App is not built yet: run <code>make setup</code>.</p>
<p><a href="/schema">API documentation</a> · <a href="/health">health</a></p>
</body></html>
"""


@get("/", opt={PUBLIC: True}, include_in_schema=False, media_type="text/html")
async def placeholder() -> Response[str]:
    return Response(PLACEHOLDER, media_type="text/html")


def miniapp_routes(dist: Path = DIST) -> Router | HTTPRouteHandler:
    """The built Mini App's files at the root when ``dist/index.html`` exists."""
    if not (dist / "index.html").is_file():
        return placeholder
    pages = create_static_files_router(
        path="/",
        directories=[dist],
        html_mode=True,
        include_in_schema=False,
        name="miniapp",
        cache_control=CacheControlHeader(no_cache=True),
    )
    if not (dist / "assets").is_dir():
        return pages
    assets = create_static_files_router(
        path="/assets",
        directories=[dist / "assets"],
        include_in_schema=False,
        name="miniapp-assets",
        cache_control=CacheControlHeader(public=True, max_age=YEAR, immutable=True),
    )
    return Router(path="/", route_handlers=[assets, pages], include_in_schema=False)
