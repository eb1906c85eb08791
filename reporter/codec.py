"""Typed JSON for the model's dataclasses: what the archive stores, read back only as the types it names.

The archive is a file that may come from elsewhere (a CI cache shared between jobs), so
what it holds is data, never code: each value is written as JSON and read back by a
converter made from the type hints of the dataclass it must become. Anything that is
not exactly that shape (a missing or extra field, a number where text belongs, a kind
outside its Literal) raises DecodeError, and the caller treats the archive as damaged.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from datetime import date
from typing import Any

import orjson

Convert = Callable[[Any], Any]


class DecodeError(ValueError):
    """Raise when stored data is not the shape its type says."""


def dumps(kind: Any, value: object) -> bytes:
    """Return a value of the given type as JSON bytes; raise TypeError when it is not of that type."""
    return orjson.dumps(encoder(kind)(value))


def loads(kind: Any, data: object) -> Any:
    """Read JSON bytes written by dumps back into the given type; raise DecodeError for anything else."""
    if not isinstance(data, bytes):
        raise DecodeError(f"expected JSON bytes, found {type(data).__name__}")
    try:
        plain = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise DecodeError("not JSON") from None
    return decoder(kind)(plain)


def _fail(expected: str, value: Any) -> typing.NoReturn:
    raise DecodeError(f"expected {expected}, found {type(value).__name__} {str(value)[:40]!r}")


def _strict(kind: type) -> Convert:
    """Check a plain JSON value has exactly this type (a bool is no int, an int no float)."""

    def check(value: Any) -> Any:
        if type(value) is not kind:
            _fail(kind.__name__, value)
        return value

    return check


def _fields(cls: type) -> list[tuple[str, Any]]:
    hints = typing.get_type_hints(cls)
    return [(f.name, hints[f.name]) for f in dataclasses.fields(cls)]


@functools.cache
def decoder(kind: Any) -> Convert:
    """Return a function that turns plain JSON into a value of `kind`, checking every part of it."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is type(None):
        return _strict(type(None))
    if kind in (str, int, bool, bytes):  # bytes: a BLOB column of a row
        return _strict(kind)
    if kind is float:
        # orjson writes 2.0 as 2.0, so a float always reads back as one; an int is not accepted
        return _strict(float)
    if kind is date:

        def to_date(value: Any) -> date:
            if type(value) is not str or len(value) != 10:
                _fail("an ISO date", value)
            try:
                return date.fromisoformat(value)
            except ValueError:
                _fail("an ISO date", value)

        return to_date
    if origin is typing.Literal:
        allowed = frozenset(args)

        def literal(value: Any) -> Any:
            if type(value) is not str or value not in allowed:
                _fail(f"one of {sorted(allowed)}", value)
            return value

        return literal
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1 or len(args) != 2:
            raise TypeError(f"only X | None unions are supported, not {kind}")
        convert = decoder(inner[0])
        return lambda value: None if value is None else convert(value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = decoder(args[0])

            def sequence(value: Any) -> tuple[Any, ...]:
                if type(value) is not list:
                    _fail("a list", value)
                return tuple(item(v) for v in value)

            return sequence
        items = [decoder(a) for a in args]

        def fixed(value: Any) -> tuple[Any, ...]:
            if type(value) is not list or len(value) != len(items):
                _fail(f"a list of {len(items)}", value)
            return tuple(convert(v) for convert, v in zip(items, value, strict=True))

        return fixed
    if origin is dict:
        if args[0] is not str:
            raise TypeError(f"only str keys are supported, not {kind}")
        item = decoder(args[1])

        def mapping(value: Any) -> dict[str, Any]:
            if type(value) is not dict:
                _fail("an object", value)
            return {k: item(v) for k, v in value.items()}

        return mapping
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _dataclass_decoder(kind)
    raise TypeError(f"no decoder for {kind}")


def _plain_types(kind: Any) -> frozenset[type] | None:
    """Return the exact JSON types a field of plain type may hold (str, str | None...), else None."""
    parts = typing.get_args(kind) if typing.get_origin(kind) in (types.UnionType, typing.Union) else (kind,)
    if all(p in (str, int, float, bool, type(None)) for p in parts) and len(parts) <= 2:
        return frozenset(parts)
    return None


def _dataclass_decoder(cls: type) -> Convert:
    fields = _fields(cls)
    names = frozenset(name for name, _ in fields)
    # decoding runs once per cached sentence and detail: plain fields are only type-checked, in one pass
    plain = [(name, allowed) for name, hint in fields if (allowed := _plain_types(hint)) is not None]
    nested = [(name, decoder(hint)) for name, hint in fields if _plain_types(hint) is None]

    # every field is checked here, so the object is made as pickle and copy make one, without
    # running __init__ (a frozen dataclass's costs 1 us per object, most of a cached sentence's time)
    direct = not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
    new = object.__new__

    def build(value: Any) -> Any:
        if type(value) is not dict or value.keys() != names:
            _fail(f"a {cls.__name__} object with fields {sorted(names)}", value)
        for name, allowed in plain:
            if type(value[name]) not in allowed:
                _fail(f"{cls.__name__}.{name} of type {' or '.join(t.__name__ for t in allowed)}", value[name])
        for name, convert in nested:
            value[name] = convert(value[name])
        if not direct:
            return cls(**value)
        obj: Any = new(cls)
        obj.__dict__.update(value)
        return obj

    return build


@functools.cache
def encoder(kind: Any) -> Convert:
    """Return a function that turns a value of `kind` into plain JSON, refusing one of another type."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is type(None) or kind in (str, int, bool):
        check = _strict(kind)

        def plain(value: Any) -> Any:
            try:
                return check(value)
            except DecodeError as exc:
                raise TypeError(str(exc)) from None

        return plain
    if kind is float:

        def to_float(value: Any) -> float:
            # numpy's float64 is a float too; written as the float it is
            if not isinstance(value, float):
                raise TypeError(f"expected float, found {type(value).__name__}")
            return float(value)

        return to_float
    if kind is date:

        def from_date(value: Any) -> str:
            if type(value) is not date:
                raise TypeError(f"expected date, found {type(value).__name__}")
            return value.isoformat()

        return from_date
    if origin is typing.Literal:
        allowed = frozenset(args)

        def literal(value: Any) -> Any:
            if type(value) is not str or value not in allowed:
                raise TypeError(f"expected one of {sorted(allowed)}, found {value!r}")
            return value

        return literal
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1 or len(args) != 2:
            raise TypeError(f"only X | None unions are supported, not {kind}")
        convert = encoder(inner[0])
        return lambda value: None if value is None else convert(value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = encoder(args[0])

            def sequence(value: Any) -> list[Any]:
                if type(value) is not tuple:
                    raise TypeError(f"expected tuple, found {type(value).__name__}")
                return [item(v) for v in value]

            return sequence
        items = [encoder(a) for a in args]

        def fixed(value: Any) -> list[Any]:
            if type(value) is not tuple or len(value) != len(items):
                raise TypeError(f"expected a tuple of {len(items)}, found {value!r:.40}")
            return [convert(v) for convert, v in zip(items, value, strict=True)]

        return fixed
    if origin is dict:
        if args[0] is not str:
            raise TypeError(f"only str keys are supported, not {kind}")
        key, item = encoder(str), encoder(args[1])

        def mapping(value: Any) -> dict[str, Any]:
            if type(value) is not dict:
                raise TypeError(f"expected dict, found {type(value).__name__}")
            return {key(k): item(v) for k, v in value.items()}

        return mapping
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _dataclass_encoder(kind)
    raise TypeError(f"no encoder for {kind}")


def _dataclass_encoder(cls: type) -> Convert:
    pairs = [(name, encoder(hint)) for name, hint in _fields(cls)]

    def flatten(value: Any) -> dict[str, Any]:
        if type(value) is not cls:
            raise TypeError(f"expected {cls.__name__}, found {type(value).__name__}")
        return {name: convert(getattr(value, name)) for name, convert in pairs}

    return flatten
