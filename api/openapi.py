"""The OpenAPI document: the error body for every error status a route answers, examples of
the main bodies, and the bodies that are not JSON (CSV in and out, Prometheus text).

Handlers list their error statuses with ``responses=errors(...)``; ``describe`` then adds
what Litestar cannot infer from the handlers' signatures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
from litestar import Litestar
from litestar.openapi import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    Components,
    Example,
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
    SecurityScheme,
)

from api import examples
from api.errors import ErrorBody
from api.openapi_constraints import add_constraints
from api.schemas import Body
from commands.messages import ComboInput, DishInput, ExtraInput

_ERRORS: dict[int, tuple[str, dict[str, Any]]] = {
    400: ("Invalid input, or a business rule refused the request", examples.INVALID_REQUEST),
    401: ("No valid bearer token, or a bad Telegram signature", examples.UNAUTHENTICATED),
    403: ("The caller's role or account may not do this", examples.FORBIDDEN),
    404: ("No such resource", examples.NOT_FOUND),
    409: ("Someone changed the same thing at the same time; try again", examples.CONFLICT),
    413: ("The request body is over 1 MB", examples.PAYLOAD_TOO_LARGE),
    429: ("Too many requests; see Retry-After", examples.RATE_LIMITED),
    503: ("PostgreSQL or Redis is unavailable; try again shortly", examples.UNAVAILABLE),
}


_ERROR_NAMES = {
    400: "InvalidRequest",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    413: "PayloadTooLarge",
    429: "RateLimited",
    503: "Unavailable",
}


def _summary(status: int) -> str:
    return str(_ERRORS[status][1]["error"]["code"])


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """The contract's error body for each of ``statuses``, with an example."""
    return {
        status: ResponseSpec(
            data_container=ErrorBody,
            description=_ERRORS[status][0],
            generate_examples=False,
            examples=[Example(summary=_summary(status), value=_ERRORS[status][1])],
        )
        for status in statuses
    }


def config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Lunch API",
        version="1.0.0",
        description=(
            "Ordering lunch from partner cafes in a Telegram Mini App. Every error answers "
            '`{"error": {"code", "message", "details"}}`.'
        ),
        path="/schema",
        use_handler_docstrings=True,
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
            }
        ),
    )


def _text(example: str) -> OpenAPIMediaType:
    return OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING), example=example)


_RETRY_AFTER = OpenAPIHeader(
    description="Seconds until the caller's window ends",
    schema=Schema(type=OpenAPIType.INTEGER, minimum=1),
)


def _strict_bodies() -> list[type[msgspec.Struct]]:
    """Request bodies that refuse unknown fields (documented as additionalProperties: false)."""
    found: list[type[msgspec.Struct]] = [DishInput, ExtraInput, ComboInput]
    pending: list[type[msgspec.Struct]] = [Body]
    while pending:
        for kind in pending.pop().__subclasses__():
            found.append(kind)
            pending.append(kind)
    return [k for k in found if k.__struct_config__.forbid_unknown_fields]


def _operations(openapi: OpenAPI) -> Iterator[tuple[str, Operation]]:
    for path, item in (openapi.paths or {}).items():
        for operation in (item.get, item.put, item.post, item.patch, item.delete):
            if operation is not None:
                yield path, operation


def _describe_schemas(openapi: OpenAPI) -> None:
    """Examples of the main bodies; request bodies refuse unknown fields."""
    schemas = openapi.components.schemas if openapi.components else None
    if schemas is None:
        return
    for name, example in examples.BODIES.items():
        if isinstance(schema := schemas.get(name), Schema):
            schema.examples = [example]
    for kind in _strict_bodies():
        if isinstance(schema := schemas.get(kind.__name__), Schema):
            schema.additional_properties = False


def _is_error_body(response: OpenAPIResponse) -> bool:
    media = (response.content or {}).get("application/json")
    schema = media.schema if media else None
    return isinstance(schema, Reference) and schema.ref.endswith("/ErrorBody")


def _share_errors(operation: Operation, shared: dict[str, OpenAPIResponse]) -> None:
    """Point each error answer at one shared response per status (components/responses)."""
    responses = operation.responses or {}
    for status, response in list(responses.items()):
        if isinstance(response, OpenAPIResponse) and _is_error_body(response):
            name = _ERROR_NAMES[int(status)]
            shared.setdefault(name, response)
            responses[status] = Reference(ref=f"#/components/responses/{name}")


def _describe_bodies(path: str, operation: Operation) -> None:
    """The CSV bodies Litestar cannot see in the handlers' types."""
    if path == "/api/employees/import":
        operation.request_body = RequestBody(
            required=True,
            description="UTF-8 CSV (a byte-order mark is allowed) with a header line",
            content={
                "text/csv": OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.STRING, min_length=1),
                    example=examples.ROSTER_CSV,
                )
            },
        )
    ok = (operation.responses or {}).get("200")
    if path.startswith("/api/reports/") and isinstance(ok, OpenAPIResponse):
        ok.content = {**(ok.content or {}), "text/csv; charset=utf-8": _text(examples.REPORT_CSV)}


def describe(app: Litestar) -> None:
    """Finish the app's OpenAPI document in place (before it is first served)."""
    openapi = app.openapi_schema
    _describe_schemas(openapi)
    add_constraints(app, openapi)
    shared: dict[str, OpenAPIResponse] = {}
    for path, operation in _operations(openapi):
        _share_errors(operation, shared)
        _describe_bodies(path, operation)
    if limited := shared.get(_ERROR_NAMES[429]):
        limited.headers = {"Retry-After": _RETRY_AFTER}
    if openapi.components is not None:
        openapi.components.responses = dict(sorted(shared.items()))


# Commands: refused input or business rules (400), someone else's order or an inactive
# employee (403), unknown ids (404), concurrent changes (409), bodies over 1 MB (413).
WRITE = (400, 401, 403, 404, 409, 413, 429, 503)


def sheet_spec(kind: type[Any]) -> ResponseSpec:
    """A report: JSON by default, CSV with ``format=csv`` (added by ``describe``)."""
    return ResponseSpec(
        data_container=kind, description="The report (CSV with format=csv)", generate_examples=False
    )
