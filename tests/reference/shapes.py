"""Check a decoded JSON value against a type of ``pyot_django.riot.types``, recursively.

Returns the problems found (empty: it conforms), each naming its path in the value
(``info.participants[3].perks.styles[0].style``), so a failing test says where.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, get_args, get_origin, is_typeddict

__all__ = ["problems"]


def problems(value: Any, expected: Any, *, strict: bool = True, path: str = "$") -> list[str]:
    """What about ``value`` does not fit ``expected``; ``strict``: keys outside the type count too."""
    if expected is Any:
        return []
    if expected is None or expected is type(None):
        return [] if value is None else [f"{path}: expected null, got {type(value).__name__}"]
    origin = get_origin(expected)
    if is_typeddict(expected):
        return _typed_dict(value, expected, strict, path)
    if origin is Literal:
        return [] if value in get_args(expected) else [f"{path}: {value!r} is not one of {get_args(expected)}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        (item,) = get_args(expected)
        found: list[str] = []
        for index, element in enumerate(value):
            found += problems(element, item, strict=strict, path=f"{path}[{index}]")
        return found
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        _, item = get_args(expected)
        found = []
        for key, element in value.items():
            found += problems(element, item, strict=strict, path=f"{path}.{key}")
        return found
    if origin in (typing.Union, types.UnionType):
        options = [problems(value, option, strict=strict, path=path) for option in get_args(expected)]
        return [] if any(not found for found in options) else min(options, key=len)
    return _scalar(value, expected, path)


def _scalar(value: Any, expected: type, path: str) -> list[str]:
    if expected is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)  # JSON has one number type
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, expected)
    return [] if ok else [f"{path}: expected {expected.__name__}, got {type(value).__name__} {value!r:.40}"]


def _typed_dict(value: Any, expected: Any, strict: bool, path: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: expected {expected.__name__} (an object), got {type(value).__name__}"]
    hints = typing.get_type_hints(expected)
    found = [
        f"{path}: missing required key {key!r} of {expected.__name__}"
        for key in sorted(expected.__required_keys__ - value.keys())
    ]
    for key, element in value.items():
        if key in hints:
            found += problems(element, hints[key], strict=strict, path=f"{path}.{key}")
        elif strict:
            found.append(f"{path}: key {key!r} is not in {expected.__name__}")
    return found
