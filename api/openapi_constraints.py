"""Constraints the server enforces that Litestar cannot see in the handlers' types, written
into the OpenAPI document so a generated client never meets a refusal it was not told of:

- public routes (``opt={PUBLIC: True}``) need no bearer token (``security: []``);
- calendar dates and instants lie between 2000-01-01 and 2100-12-31 (``check_date``);
- a timezone is an IANA name from the tz database the server ships (the ``tzdata`` package);
- a map of dishes by category has non-empty category names without control characters,
  and so has a combo's list of categories; weekdays are 0-6 (Litestar drops the
  constraints of list items and map keys, and a minimum of 0, so they are restored here).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib.resources import files

from litestar import Litestar
from litestar.openapi.spec import OpenAPI, Operation, Reference, Schema

from api.auth import PUBLIC
from domain.text import LINE_PATTERN

# Years 2000-2100; month and day are left to the ``date`` format.
DATE_PATTERN = r"^(20\d\d|2100)-"
_PATH_TYPE = re.compile(r"\{(\w+):\w+\}")
_METHODS = ("get", "put", "post", "patch", "delete")


@cache
def time_zones() -> tuple[str, ...]:
    """The zone names of the tz database pinned in uv.lock; the server accepts each one."""
    text = files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return tuple(sorted(line.strip() for line in text.splitlines() if line.strip()))


def _public_operations(app: Litestar) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if handler.opt.get(PUBLIC):
                path = _PATH_TYPE.sub(r"{\1}", route.path)
                found.update((path, m.lower()) for m in handler.http_methods)
    return found


def _operations(openapi: OpenAPI) -> Iterator[tuple[str, str, Operation]]:
    for path, item in (openapi.paths or {}).items():
        for method in _METHODS:
            if (operation := getattr(item, method)) is not None:
                yield path, method, operation


def _children(schema: Schema) -> Iterator[Schema]:
    for field in dataclasses.fields(schema):
        value = getattr(schema, field.name)
        if isinstance(value, dict):
            value = list(value.values())
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, Schema):
                yield child


def _walk(schema: Schema) -> Iterator[Schema]:
    yield schema
    for child in _children(schema):
        yield from _walk(child)


def _is_type(schema: Schema, name: str) -> bool:
    return schema.type is not None and name in str(schema.type).lower()


def _time_zone(branch: Schema) -> None:
    if _is_type(branch, "string"):
        branch.enum = list(time_zones())


def _category(branch: Schema) -> None:
    if _is_type(branch, "string"):
        branch.min_length, branch.max_length, branch.pattern = 1, 120, LINE_PATTERN
    elif _is_type(branch, "array"):
        branch.unique_items = True


def _weekday(branch: Schema) -> None:
    if _is_type(branch, "integer"):
        branch.minimum, branch.maximum = 0, 6


def _not_negative(branch: Schema) -> None:
    if _is_type(branch, "integer") and branch.minimum is None:
        branch.minimum = 0


def _category_keys(branch: Schema) -> None:
    if isinstance(branch.additional_properties, Schema):
        branch.property_names = Schema(min_length=1, max_length=120, pattern=LINE_PATTERN)


# Property name -> what to restore in each schema under it.
_BY_PROPERTY: dict[str, Callable[[Schema], None]] = {
    "timezone": _time_zone,
    "categories": _category,
    "weekdays": _weekday,
    "dishes": _category_keys,
    "price": _not_negative,
    "monthly_limit": _not_negative,
}


def _constrain(schema: Schema) -> None:
    for node in _walk(schema):
        dated = node.format is not None and str(node.format.value) in ("date", "date-time")
        if dated and node.pattern is None:
            node.pattern = DATE_PATTERN
        for name, prop in (node.properties or {}).items():
            if (restore := _BY_PROPERTY.get(name)) and isinstance(prop, Schema):
                for branch in _walk(prop):
                    restore(branch)


def add_constraints(app: Litestar, openapi: OpenAPI) -> None:
    """Write the server's own checks into ``openapi`` (in place)."""
    public = _public_operations(app)
    for path, method, operation in _operations(openapi):
        if (path, method) in public:
            operation.security = []
        for parameter in operation.parameters or []:
            if not isinstance(parameter, Reference) and isinstance(parameter.schema, Schema):
                _constrain(parameter.schema)
    schemas = openapi.components.schemas if openapi.components else None
    for schema in (schemas or {}).values():
        if isinstance(schema, Schema):
            _constrain(schema)
