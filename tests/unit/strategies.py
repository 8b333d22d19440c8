"""Hypothesis strategies for the domain: any event, menus and order requests."""

from __future__ import annotations

import datetime as dt
import types
import typing
import uuid
from typing import Any

import msgspec
from hypothesis import strategies as st

from domain import events as ev

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
UTC_TIMES = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)


def for_type(tp: Any) -> st.SearchStrategy[Any]:
    """A strategy for a field type of the event catalogue (ints bounded to 64 bits)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(for_type(a) for a in typing.get_args(tp)))
    if origin is tuple:
        return st.lists(for_type(typing.get_args(tp)[0]), max_size=3).map(tuple)
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return struct(tp)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        int: INT64,
        str: st.text(max_size=20),
        bool: st.booleans(),
        uuid.UUID: st.uuids(),
        dt.date: st.dates(),
        dt.datetime: UTC_TIMES,
        type(None): st.none(),
    }
    return simple[tp]


def struct(cls: type[msgspec.Struct]) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    fields = {f.name: for_type(hints[f.name]) for f in msgspec.structs.fields(cls)}
    return st.fixed_dictionaries(fields).map(lambda kw: cls(**kw))


any_event = st.sampled_from(sorted(ev.EVENT_TYPES)).flatmap(lambda t: struct(ev.EVENT_TYPES[t]))
