"""JSON bodies are read strictly, as the OpenAPI document describes them.

Litestar converts a decoded body to the handler's Struct in msgspec's lax mode, which takes
``0`` for ``false`` and ``"12"`` for ``12``: values the document calls the wrong type
would pass. This guard decodes the body once more in strict mode first and refuses what
does not fit (400 ``invalid_request`` with the field), so the document and the server agree;
a whole number written ``5.0`` is still an integer, as JSON Schema says.
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
        value = _whole_numbers(msgspec.json.decode(body))
    except msgspec.DecodeError:
        return  # not JSON at all: Litestar answers that itself
    try:
        msgspec.convert(value, type=data.annotation, strict=True)
    except msgspec.ValidationError as e:
        raise ValidationException(extra=[{"message": str(e), "source": "body"}]) from e


def _whole_numbers(value: Any) -> Any:
    """JSON Schema counts ``5.0`` as an integer; msgspec's strict mode does not."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, list):
        return [_whole_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _whole_numbers(v) for k, v in value.items()}
    return value
