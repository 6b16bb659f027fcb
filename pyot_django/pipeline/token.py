"""``PipelineToken``: what a lookup is keyed by.

A token names one Riot API call (game model, routing value, operation id, path
parameters, query parameters). ``stringify`` is its stable key: identical in every
process, independent of dict order, and safe for every Django cache backend
(memcached allows 250 printable characters without spaces).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..exceptions import ParameterError, RoutingError
from ..riot.params import normalise_path_params, normalise_queries, quote_part

if TYPE_CHECKING:
    from ..riot.endpoint import QueryParam

__all__ = ["PipelineToken"]

# Room left under memcached's 250-character limit for the namespaces stores add.
_MAX_KEY_LENGTH = 180
_SAFE = "-._~"


def _canonical_value(value: str) -> str:
    return quote_part(value, _SAFE)


def _canonical_queries(queries: Mapping[str, str | tuple[str, ...]]) -> str:
    parts: list[str] = []
    for name in sorted(queries):
        value = queries[name]
        items = value if isinstance(value, tuple) else (value,)
        parts.extend(f"{quote_part(name, _SAFE)}={_canonical_value(item)}" for item in items)
    return "&".join(parts)


def _query_specs(method: str) -> Mapping[str, QueryParam] | None:
    from ..riot.catalogue import ENDPOINTS

    endpoint = ENDPOINTS.get(method)
    return endpoint.query_params if endpoint is not None else None


class PipelineToken:
    """Identifies one Riot API call; hashable and equal by value.

    Parameters are validated and normalised here, once: ``params`` values become the
    strings the URL carries and ``queries`` values strings or tuples of strings
    (``True`` → ``"true"``, ``None`` dropped). The store builds the URL from these
    same values that ``stringify`` keys the caches by, so the two cannot disagree.
    Bad values raise ``ParameterError`` (a non-str server ``RoutingError``).
    """

    __slots__ = ("_key", "method", "model", "params", "queries", "server")

    def __init__(
        self,
        model: str,
        server: str,
        method: str,
        params: Mapping[str, Any] | None = None,
        queries: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(model, str) or not isinstance(method, str):
            raise ParameterError(
                f"PipelineToken: model and method must be str, got {type(model).__name__} {model!r} "
                f"and {type(method).__name__} {method!r}"
            )
        if not isinstance(server, str):
            raise RoutingError(
                f"{method}: the server must be a routing value string such as 'na1' or 'americas', "
                f"not {type(server).__name__} {server!r}"
            )
        self.model = model.lower()
        self.server = server.lower()
        self.method = method
        self.params: dict[str, str] = normalise_path_params(method, params or {})
        self.queries: dict[str, str | tuple[str, ...]] = normalise_queries(method, queries or {}, _query_specs(method))
        self._key: str | None = None

    @property
    def stringify(self) -> str:
        """The stable string key of this token (computed once)."""
        key = self._key
        if key is None:
            params = "&".join(
                f"{quote_part(name, _SAFE)}={_canonical_value(self.params[name])}" for name in sorted(self.params)
            )
            key = f"{self.model}:{self.server}:{self.method}:{params}"
            queries = _canonical_queries(self.queries)
            if queries:
                key = f"{key}?{queries}"
            if len(key) > _MAX_KEY_LENGTH:
                # Long Riot ids or query lists: keep the readable head, make the tail a digest
                # so the key stays within every backend's limits and stays unique.
                digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
                key = f"{self.model}:{self.server}:{self.method}:#{digest}"
            self._key = key
        return key

    def __hash__(self) -> int:
        return hash(self.stringify)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PipelineToken):
            return NotImplemented
        return self.stringify == other.stringify

    def __repr__(self) -> str:
        return f"PipelineToken({self.model!r}, {self.server!r}, {self.method!r}, {self.params!r}, {self.queries!r})"
