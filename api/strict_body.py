"""JSON bodies are read strictly, as the OpenAPI document describes them.

Litestar converts a decoded body to the handler's Struct in msgspec's lax mode, which takes
``0`` for ``false`` and ``"12"`` for ``12``: values the document calls the wrong type
would pass. This guard decodes the body once more in strict mode first and refuses what
does not fit (400 ``invalid_request`` with the field), so the document and the server agree.
The body is cached by the request, so the handler reads it again for free.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import ValidationException
from litestar.handlers.base import BaseRouteHandler


async def strict_json_body(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Router guard: a ``data`` Struct body that only lax conversion would accept is 400."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None or not isinstance(data.annotation, type):
        return
    if not issubclass(data.annotation, msgspec.Struct):
        return
    body = await Request[Any, Any, Any](connection.scope, connection.receive).body()
    try:
        msgspec.json.decode(body, type=data.annotation, strict=True)
    except msgspec.ValidationError as e:
        raise ValidationException(extra=[{"message": str(e), "source": "body"}]) from e
    except msgspec.DecodeError:
        return  # not JSON at all: Litestar answers that itself
