"""Turning a 2xx body into a value: only data passes, everything else is ``InvalidResponse``.

An empty body, ``null``, invalid JSON or JSON of another type than the operation
returns (``Endpoint.returns``: object, array, integer, string; ``none`` for an
operation answered without a body) is not a value: caching it would serve it as a
hit, and a database sink cannot hold it.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..endpoint import RETURN_KINDS, accepts_kind

__all__ = ["BodyTooLarge", "decode", "unusable_reason"]


class BodyTooLarge(Exception):
    """The body passed ``limit`` bytes (``declared``: its Content-Length, if it had one)."""

    def __init__(self, status: int, limit: int, declared: int | None) -> None:
        super().__init__(f"body over {limit} bytes")
        self.status = status
        self.limit = limit
        self.declared = declared


_JSON_NAMES = {dict: "object", list: "array", str: "string", int: "integer", float: "number", bool: "boolean"}


def decode(content: bytes, returns: str | None) -> tuple[Any, str | None]:
    """``(value, None)`` for data, ``(None, reason)`` for anything else.

    ``returns`` is one of :data:`RETURN_KINDS`, or None to accept any JSON value but null
    (static-data clients that have no catalogue).
    """
    if not content or content.isspace():
        if returns == "none":
            return None, None
        return None, "an empty body"
    try:
        value = orjson.loads(content)
    except orjson.JSONDecodeError:
        return None, "a body that is not JSON"
    reason = unusable_reason(value, returns)
    return (None, reason) if reason else (value, None)


def unusable_reason(value: Any, returns: str | None) -> str | None:
    """Why a decoded ``value`` is not data for an operation returning ``returns``, or None."""
    if returns == "none":
        return None
    if value is None:
        return "null instead of data"
    if returns is None:
        return None
    assert returns in RETURN_KINDS, returns
    if accepts_kind(returns, value):
        return None
    return f"a JSON {_JSON_NAMES.get(type(value), type(value).__name__)}, not the {returns} this operation returns"
