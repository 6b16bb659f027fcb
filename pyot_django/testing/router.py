"""Matching a request path to a catalogue operation, compiled once from the catalogue.

Paths are matched segment by segment on the *raw* (still percent-encoded) path, so an
encoded ``/`` inside a Riot id (``a%2Fb``) stays inside its parameter. Candidates are
bucketed by segment count and the first three segments (every Riot path starts with
three literal ones: ``lol/match/v5``), so a lookup compares against a handful of
templates, with no regular expression at request time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import cast
from urllib.parse import unquote

from pyot_django.riot import ENDPOINTS, Endpoint

__all__ = ["Router"]

# A template: one entry per segment, the literal text or None for a parameter.
_Template = tuple[str | None, ...]
_Key = tuple[int, str, str, str]


class Router:
    def __init__(self, endpoints: Iterable[Endpoint] = ENDPOINTS.values()) -> None:
        grouped: dict[_Template, dict[str, Endpoint]] = {}
        for endpoint in endpoints:
            segments = endpoint.path.strip("/").split("/")
            template = tuple(None if s.startswith("{") else s for s in segments)
            if any(part is None for part in template[:3]):  # pragma: no cover - catalogue invariant
                raise ValueError(f"{endpoint.operation_id}: a path must start with three literal segments")
            grouped.setdefault(template, {})[endpoint.http_method] = endpoint
        buckets: dict[_Key, list[tuple[_Template, Mapping[str, Endpoint]]]] = {}
        for template, by_method in grouped.items():
            key = cast(_Key, (len(template), *template[:3]))  # the first three are literal (checked above)
            buckets.setdefault(key, []).append((template, by_method))
        # More literal segments first: "/tournaments/by-team/{id}" before "/tournaments/{id}/{x}".
        for candidates in buckets.values():
            candidates.sort(key=lambda item: -sum(part is not None for part in item[0]))
        self._buckets = buckets

    def match(self, segments: list[str]) -> tuple[Mapping[str, Endpoint], dict[str, str]] | None:
        """(endpoints by HTTP method, decoded path parameters) for a path's segments, or None.

        ``segments`` is the raw path after the server, split on "/".
        """
        if len(segments) < 3:
            return None
        candidates = self._buckets.get((len(segments), segments[0], segments[1], segments[2]))
        if not candidates:
            return None
        for template, by_method in candidates:
            values = []
            for part, segment in zip(template, segments, strict=True):
                if part is None:
                    if not segment:
                        break
                    values.append(segment)
                elif part != segment:
                    break
            else:
                names = next(iter(by_method.values())).path_params
                return by_method, {name: unquote(value) for name, value in zip(names, values, strict=True)}
        return None
