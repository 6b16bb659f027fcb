"""``Memory``: an in-process LRU cache, the fastest store.

Values are kept as JSON bytes (orjson) and decoded on every hit. That is the
cheapest way to hand each caller an object of its own: decoding a summoner takes
about a microsecond, a deep copy of the same dict about twenty, and sharing the
stored object would let one caller's mutation corrupt everybody else's reads.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import orjson

from ..exceptions import NotFound
from .base import CacheStore, OptionProblem, StoreContext

if TYPE_CHECKING:
    import httpx

    from ..pipeline.token import PipelineToken

__all__ = ["Memory"]

_monotonic = time.monotonic
_loads = orjson.loads


class Memory(CacheStore):
    """In-process cache bounded by ``MAX_ENTRIES`` (least recently used evicted first).

    Memory belongs to its store object, so one store is one namespace: ``clear()``
    empties this store only. Each value is bounded by ``MAX_VALUE_SIZE`` (JSON bytes).
    """

    OPTIONS = CacheStore.OPTIONS | {"MAX_ENTRIES"}
    DEFAULT_MAX_ENTRIES = 10_000

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        super().__init__(options, context)
        self.max_entries = int(options.get("MAX_ENTRIES", self.DEFAULT_MAX_ENTRIES))
        # key → (expires_at or None, JSON bytes); OrderedDict order is recency order.
        self._data: OrderedDict[str, tuple[float | None, bytes]] = OrderedDict()

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], path: str, game: str) -> list[OptionProblem]:
        problems = super().option_problems(options, path, game)
        value = options.get("MAX_ENTRIES", cls.DEFAULT_MAX_ENTRIES)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(
                OptionProblem(
                    "E011",
                    f"{path}['MAX_ENTRIES']",
                    f"MAX_ENTRIES must be a positive int, not {value!r}.",
                    "e.g. 10_000",
                )
            )
        return problems

    async def get(self, token: PipelineToken, session: httpx.AsyncClient | None = None) -> Any:
        return self.get_sync(token)

    def get_sync(self, token: PipelineToken) -> Any:
        # Threads (WSGI workers, async_to_sync callers) share this dict: each step is one
        # atomic dict operation and tolerates another thread having evicted the key.
        key = token.stringify
        data = self._data
        entry = data.get(key)
        if entry is None:
            raise NotFound
        expires_at = entry[0]
        if expires_at is not None and expires_at <= _monotonic():
            data.pop(key, None)
            raise NotFound
        try:
            data.move_to_end(key)
        except KeyError:
            pass
        return _loads(entry[1])

    async def set(self, token: PipelineToken, value: Any) -> None:
        ttl = self.expirations.ttl(token.method)
        if ttl == 0:
            return
        # Encoded now: later mutations of ``value`` by the caller cannot reach the cache.
        raw = self.encode_checked(token, value)
        data = self._data
        key = token.stringify
        data[key] = (None if ttl < 0 else _monotonic() + ttl, raw)
        try:
            data.move_to_end(key)
            while len(data) > self.max_entries:
                data.popitem(last=False)
        except KeyError:
            pass  # another thread evicted concurrently; the bound still holds

    async def clear(self) -> int:
        count = len(self._data)
        self._data.clear()
        return count

    async def expire(self) -> int:
        now = _monotonic()
        expired = [key for key, (expires_at, _) in self._data.items() if expires_at is not None and expires_at <= now]
        for key in expired:
            self._data.pop(key, None)
        return len(expired)

    async def delete(self, token: PipelineToken) -> bool:
        return self._data.pop(token.stringify, None) is not None

    async def contains(self, token: PipelineToken) -> bool:
        entry = self._data.get(token.stringify)
        return entry is not None and (entry[0] is None or entry[0] > _monotonic())

    async def count(self) -> int:
        return len(self._data)

    def expires_at(self, token: PipelineToken) -> float | None:
        """Wall-clock expiry of a held token (None: forever or absent)."""
        entry = self._data.get(token.stringify)
        if entry is None or entry[0] is None:
            return None
        return time.time() + (entry[0] - _monotonic())

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["max_entries"] = self.max_entries
        return info
