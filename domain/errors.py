"""One named error per broken rule; the API maps each ``code`` to an HTTP status."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "invalid_request"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidRequest(DomainError):
    code = "invalid_request"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"


class OrderingClosed(DomainError):
    code = "ordering_closed"


class InvalidCombo(DomainError):
    code = "invalid_combo"


class DishUnavailable(DomainError):
    code = "dish_unavailable"


class LimitExceeded(DomainError):
    code = "limit_exceeded"


class CafeInactive(DomainError):
    code = "cafe_inactive"


class OrderExists(DomainError):
    code = "order_exists"
