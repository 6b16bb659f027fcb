"""``DjangoCache``: any alias of ``settings.CACHES`` as a pipeline store.

Entries are stored as the decoded Python objects, so the backend's own
serialiser (pickle for LocMem and django-redis) does the one copy each read
needs. Keys are ``pyot:<pipeline>@<key identity>:<token>``: namespaced per
pipeline and per API key, printable and short enough for memcached.

``clear()`` must remove this pipeline's entries and nothing else of the alias,
which needs a way to find them; see :mod:`.cache_clearing`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import caches

from ..exceptions import NotFound
from .base import CacheStore, OptionProblem, StoreContext
from .cache_clearing import clear_prefix, uses_generations
from .redis_async import native_redis

if TYPE_CHECKING:
    import httpx
    from django.core.cache.backends.base import BaseCache

    from ..pipeline.token import PipelineToken

__all__ = ["DjangoCache"]

_MISSING = object()


class DjangoCache(CacheStore):
    """A pipeline store over a Django cache alias (option ``ALIAS``, default ``"default"``)."""

    OPTIONS = CacheStore.OPTIONS | {"ALIAS"}

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        super().__init__(options, context)
        self.alias: str = options.get("ALIAS", "default")
        self._prefix = f"pyot:{context.pipeline}@"
        self._key_prefix = f"{self._prefix}:"
        self._thread = threading.local()

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], path: str, game: str) -> list[OptionProblem]:
        problems = super().option_problems(options, path, game)
        alias = options.get("ALIAS", "default")
        if alias not in settings.CACHES:
            problems.append(
                OptionProblem(
                    "E008",
                    f"{path}['ALIAS']",
                    f"Cache alias {alias!r} is not in settings.CACHES.",
                    f"Add it to CACHES or use one of: {', '.join(sorted(settings.CACHES)) or '(none)'}.",
                )
            )
        return problems

    def bind_namespace(self, namespace: str) -> None:
        super().bind_namespace(namespace)
        self._key_prefix = f"pyot:{namespace}:"

    @property
    def cache(self) -> BaseCache:
        # Django keeps one cache object per alias and thread/loop; fetch it each time.
        return caches[self.alias]

    async def _key(self, token: PipelineToken, cache: BaseCache) -> str:
        if uses_generations(cache):
            generation = await cache.aget(f"{self._prefix}generation", 0)
            return f"{self._key_prefix}g{generation}:{token.stringify}"
        return self._key_prefix + token.stringify

    def key_for(self, token: PipelineToken) -> str:
        """The cache key of ``token`` (for backends that can list their keys)."""
        return self._key_prefix + token.stringify

    async def get(self, token: PipelineToken, session: httpx.AsyncClient | None = None) -> Any:
        if (native := native_redis(self.alias)) is not None:  # hook: redis.asyncio path (redis_async.py)
            value = await native.get(self._key_prefix + token.stringify, _MISSING)
            if value is _MISSING:
                raise NotFound
            return value
        cache = caches[self.alias]
        value = await cache.aget(await self._key(token, cache), _MISSING)
        if value is _MISSING:
            raise NotFound
        return value

    def get_sync(self, token: PipelineToken) -> Any:
        # caches[alias] goes through asgiref's context-aware Local (~1 µs, as long as a
        # LocMem read): sync callers keep the handle per thread instead.
        try:
            cache = self._thread.cache
        except AttributeError:
            cache = self._thread.cache = caches[self.alias]
        if uses_generations(cache):
            key = f"{self._key_prefix}g{cache.get(f'{self._prefix}generation', 0)}:{token.stringify}"
        else:
            key = self._key_prefix + token.stringify
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            raise NotFound
        return value

    async def set(self, token: PipelineToken, value: Any) -> None:
        ttl = self.expirations.ttl(token.method)
        if ttl == 0:
            return
        if (native := native_redis(self.alias)) is not None:  # hook: redis.asyncio path (redis_async.py)
            await native.set(self._key_prefix + token.stringify, value, None if ttl < 0 else ttl)
            return
        cache = caches[self.alias]
        await cache.aset(await self._key(token, cache), value, None if ttl < 0 else ttl)

    async def delete(self, token: PipelineToken) -> bool:
        cache = caches[self.alias]
        return bool(await cache.adelete(await self._key(token, cache)))

    async def contains(self, token: PipelineToken) -> bool:
        cache = caches[self.alias]
        return bool(await cache.ahas_key(await self._key(token, cache)))

    async def clear(self) -> int | None:
        from asgiref.sync import sync_to_async

        return await sync_to_async(clear_prefix, thread_sensitive=False)(caches[self.alias], self._prefix)

    async def expire(self) -> int:
        # Every backend drops expired keys itself (TTL); nothing to do here.
        return 0

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["alias"] = self.alias
        info["cache_backend"] = settings.CACHES.get(self.alias, {}).get("BACKEND", "?")
        return info
