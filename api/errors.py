"""One table from error codes to HTTP statuses, and the contract's error body for all of them.

Domain errors carry their ``code``; Litestar's own exceptions (validation, routing, body
size) are mapped by status. Anything else is a bug: 500 ``internal``, logged with the
request id, with no detail of the exception in the body.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
import psycopg
from litestar import Request, Response
from litestar.exceptions import HTTPException, InternalServerException, ValidationException
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from api.validation_problems import validation_details
from domain.errors import DomainError

log = logging.getLogger("lunch.api")

STATUS_BY_CODE: dict[str, int] = {
    "invalid_request": 400,
    "ordering_closed": 400,
    "invalid_combo": 400,
    "dish_unavailable": 400,
    "limit_exceeded": 400,
    "cafe_inactive": 400,
    "order_exists": 400,
    "unauthenticated": 401,
    "forbidden": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "conflict": 409,
    "payload_too_large": 413,
    "unsupported_media_type": 415,
    "rate_limited": 429,
    "internal": 500,
    "unavailable": 503,
}

CODE_BY_STATUS: dict[int, str] = {
    400: "invalid_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "unavailable",
}

MESSAGE_BY_CODE: dict[str, str] = {
    "unauthenticated": "a valid bearer token is required",
    "forbidden": "your role may not do this",
    "not_found": "no such resource",
    "method_not_allowed": "method not allowed here",
    "payload_too_large": "request body is too large",
    "rate_limited": "too many requests; slow down",
    "internal": "internal error",
    "unavailable": "a backing service is unavailable; try again shortly",
}

# The event store's library wraps driver errors in its own classes of these names.
_OUTAGE_NAMES = {"OperationalError", "InterfaceError"}


def _is_outage(exc: Exception) -> bool:
    """PostgreSQL or Redis down, or the read models not created yet: 503, not a bug."""
    outage = (
        psycopg.OperationalError,
        psycopg.errors.UndefinedTable,
        RedisConnectionError,
        RedisTimeoutError,
    )
    return isinstance(exc, outage) or any(c.__name__ in _OUTAGE_NAMES for c in type(exc).__mro__)


class ApiError(DomainError):
    """An error only the HTTP layer knows (no bearer token, too many requests); every
    other rule is one of ``domain.errors``, raised as it is."""

    code = "invalid_request"
    headers: dict[str, str] | None = None


class Unauthenticated(ApiError):
    code = "unauthenticated"


class ErrorDetail(msgspec.Struct, frozen=True):
    code: str
    message: str
    details: dict[str, Any] = msgspec.field(default_factory=dict)


class ErrorBody(msgspec.Struct, frozen=True):
    error: ErrorDetail


def error_response(
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[ErrorBody]:
    status = STATUS_BY_CODE.get(code, 400)
    extra = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    return Response(
        ErrorBody(ErrorDetail(code, message, details or {})),
        status_code=status,
        headers={**extra, **(headers or {})} or None,
    )


def _http_error(exc: HTTPException) -> Response[ErrorBody]:
    if isinstance(exc, ValidationException):
        message, details = validation_details(exc)
        return error_response("invalid_request", message, details)
    status = exc.status_code
    code = CODE_BY_STATUS.get(status, "invalid_request")
    if code == "invalid_request":
        # Malformed JSON and similar body errors: the body is the offending field.
        return error_response(code, f"malformed request: {exc.detail}", {"field": "body"})
    # The router's 405 names the allowed methods in ``Allow`` (RFC 9110); keep it.
    response = error_response(code, MESSAGE_BY_CODE.get(code, exc.detail), headers=exc.headers)
    response.status_code = status if status in CODE_BY_STATUS else response.status_code
    return response


CLIENT_GONE = "client disconnected prematurely"  # Litestar's detail when a body never came
CLIENT_GONE_STATUS = 499  # "client closed request", as proxies log it: not a server error


def _client_gone(exc: Exception) -> bool:
    return isinstance(exc, InternalServerException) and exc.detail == CLIENT_GONE


def request_id_of(request: Request[Any, Any, Any]) -> str:
    state = request.scope.get("state") or {}
    return str(state.get("request_id") or "-")


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    """The app's only exception handler: every error answers with the contract's body, and
    the request's log line (api.metrics.Observe) names its code."""
    response = _answer(request, exc)
    state = request.scope.get("state")
    if isinstance(state, dict) and isinstance(response.content, ErrorBody):
        state["error"] = response.content.error.code
    return response


def _answer(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    if isinstance(exc, DomainError):
        headers = exc.headers if isinstance(exc, ApiError) else None
        return error_response(exc.code, exc.message, dict(exc.details), headers)
    if isinstance(exc, HTTPException) and exc.status_code < 500:
        return _http_error(exc)
    request_id = request_id_of(request)
    if _client_gone(exc):
        log.info("client went away", extra={"request_id": request_id, "path": request.url.path})
        response = error_response("invalid_request", CLIENT_GONE, {"field": "body"})
        response.status_code = CLIENT_GONE_STATUS  # nobody reads it; metrics and the log do
        return response
    if _is_outage(exc):
        log.warning(
            "backing service unavailable",
            extra={"request_id": request_id, "error": repr(exc), "path": request.url.path},
        )
        return error_response(
            "unavailable", MESSAGE_BY_CODE["unavailable"], {"request_id": request_id}
        )
    log.error(
        "unhandled error",
        exc_info=exc,
        extra={"request_id": request_id, "method": request.method, "path": request.url.path},
    )
    return error_response("internal", MESSAGE_BY_CODE["internal"], {"request_id": request_id})
