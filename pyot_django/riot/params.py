"""Filling an operation's path and checking its query parameters, before any request.

Path parameters are percent-encoded one by one with nothing kept safe, so Riot ids
such as ``"Hide on bush"``, ``"명예"`` or ``"a/b"`` stay one path segment each.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeGuard
from urllib.parse import quote

from pyot_django.exceptions import ParameterError
from pyot_django.riot.endpoint import Endpoint, QueryParam

__all__ = ["build_path", "check_query", "encode_query", "normalise_path_params", "normalise_queries", "quote_part"]

_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch


def quote_part(value: str, safe: str = "") -> str:
    """``urllib.parse.quote(value, safe=safe)``; a value of unreserved characters only (the
    usual PUUID, match id or summoner id) is returned as it is, without ``quote``'s cost."""
    if _UNRESERVED(value) is not None:
        return value
    return quote(value, safe=safe)


_SCALARS = (str, int, float)
_HINT_PATH = "pass ids and names as non-empty strings (or ints)"


def build_path(endpoint: Endpoint, params: Mapping[str, object]) -> str:
    """The request path of ``endpoint`` with ``params`` filled in and URL-encoded."""
    names = endpoint.path_params
    # Fast path: exactly the right names (the common case on every request).
    if len(params) == len(names) and all(params.get(name) is not None for name in names):
        return endpoint.path.format_map({name: quote_part(str(params[name])) for name in names})
    raise ParameterError(_mismatch(endpoint, "path", names, params, required=names))


def check_query(endpoint: Endpoint, queries: Mapping[str, object]) -> None:
    """Raise ``ParameterError`` for unknown query names, missing required ones or misplaced lists."""
    known = endpoint.query_params
    required = tuple(name for name, spec in known.items() if spec.required)
    unknown = [name for name in queries if name not in known]
    missing = [name for name in required if queries.get(name) is None]
    if unknown or missing:
        raise ParameterError(_mismatch(endpoint, "query", tuple(known), queries, required=required))
    for name, value in queries.items():
        if not known[name].is_list and _is_sequence(value):
            raise ParameterError(
                f"{endpoint.operation_id}: query parameter {name!r} takes a single value, got {value!r}"
            )


def encode_query(queries: Mapping[str, object]) -> list[tuple[str, str]]:
    """Query pairs for httpx ``params=``: lists become repeated keys, ``None`` values are dropped."""
    pairs: list[tuple[str, str]] = []
    for name, value in queries.items():
        if value is None:
            continue
        values: Iterable[object] = value if _is_sequence(value) else (value,)
        pairs.extend((name, _text(item)) for item in values)
    return pairs


def normalise_path_params(operation: str, params: Mapping[str, object]) -> dict[str, str]:
    """Path values as the strings sent in the URL (and keyed in caches), or ``ParameterError``.

    Only non-empty ``str`` and ``int`` are ids; a ``bool``, ``bytes``, a list or ``None``
    is a caller's mistake that ``str()`` would turn into a wrong but plausible URL, and
    ``.``/``..`` would become dot segments that clients and proxies collapse.
    """
    normalised: dict[str, str] = {}
    for name, value in params.items():
        if not isinstance(name, str):
            raise ParameterError(f"{operation}: path parameter names must be str, not {type(name).__name__} {name!r}")
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ParameterError(
                f"{operation}: path parameter {name!r} must be a non-empty str or int, "
                f"not {type(value).__name__} {value!r}; {_HINT_PATH}"
            )
        text = str(value)
        if text in ("", ".", ".."):
            raise ParameterError(
                f"{operation}: path parameter {name!r} cannot be {text!r} (empty or a dot segment); {_HINT_PATH}"
            )
        normalised[name] = text
    return normalised


def normalise_queries(
    operation: str, queries: Mapping[str, object], specs: Mapping[str, QueryParam] | None = None
) -> dict[str, str | tuple[str, ...]]:
    """Query values as the strings sent (and keyed in caches): ``None`` dropped, lists as tuples.

    With the operation's ``specs`` a list is accepted only for a list parameter and a
    ``bool`` only for a bool parameter; unknown names are left to ``check_query``.
    """
    normalised: dict[str, str | tuple[str, ...]] = {}
    for name, value in queries.items():
        if not isinstance(name, str):
            raise ParameterError(f"{operation}: query parameter names must be str, not {type(name).__name__} {name!r}")
        if value is None:
            continue
        spec = specs.get(name) if specs is not None else None
        if _is_sequence(value):
            if spec is not None and not spec.is_list:
                raise ParameterError(
                    f"{operation}: query parameter {name!r} takes a single value, not {type(value).__name__} {value!r}"
                )
            items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
            normalised[name] = tuple(_query_text(operation, name, item, spec) for item in items)
        else:
            normalised[name] = _query_text(operation, name, value, spec)
    return normalised


def _query_text(operation: str, name: str, value: object, spec: QueryParam | None) -> str:
    if isinstance(value, bool):
        if spec is not None and spec.type != "bool":
            raise ParameterError(
                f"{operation}: query parameter {name!r} is of type {spec.type}, not bool; got {value!r}"
            )
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        raise ParameterError(f"{operation}: query parameter {name!r} must be a finite number, not {value!r}")
    if not isinstance(value, _SCALARS):
        raise ParameterError(
            f"{operation}: query parameter {name!r} must be a str, int or float (or a list of them where the "
            f"operation takes a list), not {type(value).__name__} {value!r}"
        )
    return str(value)


def _text(value: object) -> str:
    # Riot spells booleans in lower case; str(True) would send "True".
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _is_sequence(value: object) -> TypeGuard[list[Any] | tuple[Any, ...] | set[Any] | frozenset[Any]]:
    return isinstance(value, list | tuple | set | frozenset)


def _mismatch(
    endpoint: Endpoint,
    kind: str,
    names: tuple[str, ...],
    given: Mapping[str, object],
    *,
    required: tuple[str, ...],
) -> str:
    problems = []
    missing = [name for name in required if given.get(name) is None]
    if missing:
        problems.append(f"missing {kind} parameter(s) {', '.join(map(repr, missing))}")
    for name in given:
        if name in names:
            continue
        text = f"unknown {kind} parameter {name!r}"
        close = difflib.get_close_matches(str(name), names, n=1, cutoff=0.6) or [
            known for known in names if known.lower() == str(name).lower()
        ]
        if close:
            text += f" (did you mean {close[0]!r}?)"
        problems.append(text)
    accepted = ", ".join(names) if names else "none"
    return f"{endpoint.operation_id}: {'; '.join(problems)}; its {kind} parameters are: {accepted}"
