"""``PipelineToken``: what a lookup is keyed by.

A token names one Riot API call (game model, routing value, operation id, path
parameters, query parameters). ``stringify`` is its stable key: identical in every
process, independent of dict order, and safe for every Django cache backend
(memcached allows 250 printable characters without spaces).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

__all__ = ["PipelineToken"]

# Room left under memcached's 250-character limit for the namespaces stores add.
_MAX_KEY_LENGTH = 180
_SAFE = "-._~"


def _canonical_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return quote(str(value), safe=_SAFE)


def _canonical_queries(queries: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for name in sorted(queries):
        value = queries[name]
        if value is None:
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            items: Iterable[Any] = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
            parts.extend(f"{quote(name, safe=_SAFE)}={_canonical_value(item)}" for item in items)
        else:
            parts.append(f"{quote(name, safe=_SAFE)}={_canonical_value(value)}")
    return "&".join(parts)


class PipelineToken:
    """Identifies one Riot API call; hashable and equal by value."""

    __slots__ = ("_key", "method", "model", "params", "queries", "server")

    def __init__(
        self,
        model: str,
        server: str,
        method: str,
        params: Mapping[str, Any] | None = None,
        queries: Mapping[str, Any] | None = None,
    ) -> None:
        self.model = model.lower()
        self.server = server.lower()
        self.method = method
        self.params: dict[str, Any] = dict(params or {})
        self.queries: dict[str, Any] = dict(queries or {})
        self._key: str | None = None

    @property
    def stringify(self) -> str:
        """The stable string key of this token (computed once)."""
        key = self._key
        if key is None:
            params = "&".join(
                f"{quote(name, safe=_SAFE)}={_canonical_value(self.params[name])}" for name in sorted(self.params)
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
