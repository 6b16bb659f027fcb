"""Filling an operation's path and checking its query parameters, before any request.

Path parameters are percent-encoded one by one with nothing kept safe, so Riot ids
such as ``"Hide on bush"``, ``"명예"`` or ``"a/b"`` stay one path segment each.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from urllib.parse import quote

from pyot_django.exceptions import ParameterError
from pyot_django.riot.endpoint import Endpoint

__all__ = ["build_path", "check_query", "encode_query"]


def build_path(endpoint: Endpoint, params: Mapping[str, object]) -> str:
    """The request path of ``endpoint`` with ``params`` filled in and URL-encoded."""
    names = endpoint.path_params
    # Fast path: exactly the right names (the common case on every request).
    if len(params) == len(names) and all(params.get(name) is not None for name in names):
        return endpoint.path.format_map({name: quote(str(params[name]), safe="") for name in names})
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
        values: Iterable[object] = value if _is_sequence(value) else (value,)  # type: ignore[assignment]
        pairs.extend((name, _text(item)) for item in values)
    return pairs


def _text(value: object) -> str:
    # Riot spells booleans in lower case; str(True) would send "True".
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _is_sequence(value: object) -> bool:
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
