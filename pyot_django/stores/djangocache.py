"""``DjangoCache``: any alias of ``settings.CACHES`` as a pipeline store.

Entries are stored as the decoded Python objects, so the backend's own
serialiser (pickle for LocMem and django-redis) does the one copy each read
needs. Keys are ``pyot:<pipeline>@<key identity>:<token>``: namespaced per
pipeline and per API key, printable and short enough for memcached.

``clear()`` must remove this pipeline's entries (this API key's only) and nothing
else of the alias, which needs a way to find them; see :mod:`.cache_clearing`.

A django-redis alias with ``IGNORE_EXCEPTIONS`` turns every Redis error into a
silent miss, so the pipeline would never see the outage and every lookup would pay
the full socket timeout; the store calls django-redis's client beneath that
wrapper instead (see :func:`.cache_clearing.strict_cache`), so the first error starts
the pipeline's cool-down. Values whose JSON is larger than ``MAX_VALUE_SIZE`` are
refused (passed on uncached).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import caches

from ..conf import cache_settings
from ..exceptions import NotFound
from .base import CacheStore, OptionProblem, StoreContext
from .cache_clearing import clear_prefix, strict_cache, uses_generations
from .redis_async import native_redis

if TYPE_CHECKING:
    import httpx
    from django.core.cache.backends.base import BaseCache

    from ..pipeline.token import PipelineToken

__all__ = ["DjangoCache"]

_MISSING = object()


def _redis_outage_problems(alias: str, key: str) -> list[OptionProblem]:
    """What a django-redis alias would cost during a Redis outage (W006, W007)."""
    spec = cache_settings()[alias]
    if not str(spec.get("BACKEND", "")).startswith("django_redis."):
        return []
    options = spec.get("OPTIONS") or {}
    problems = []
    if options.get("IGNORE_EXCEPTIONS", getattr(settings, "DJANGO_REDIS_IGNORE_EXCEPTIONS", False)):
        problems.append(
            OptionProblem(
                "W006",
                key,
                f"Cache alias {alias!r} uses django-redis with IGNORE_EXCEPTIONS: during a Redis outage every "
                "call through it waits the full socket timeout and then looks like a miss.",
                "pyot_django's store reads beneath it so its cool-down starts after the first error, but other "
                "users of the alias still pay the timeout per call; give pyot_django an alias without it.",
            )
        )
    missing = [name for name in ("SOCKET_TIMEOUT", "SOCKET_CONNECT_TIMEOUT") if options.get(name) is None]
    if missing:
        problems.append(
            OptionProblem(
                "W007",
                key,
                f"Cache alias {alias!r} uses django-redis without {' and '.join(missing)}: a frozen or unreachable "
                "Redis blocks each lookup until the operating system gives up on the connection (minutes).",
                'Set OPTIONS {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}; the store then skips Redis for '
                "its cool-down after the first timeout.",
            )
        )
    return problems


class DjangoCache(CacheStore):
    """A pipeline store over a Django cache alias (option ``ALIAS``, default ``"default"``)."""

    OPTIONS = CacheStore.OPTIONS | {"ALIAS"}

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        super().__init__(options, context)
        self.alias: str = options.get("ALIAS", "default")
        self._key_prefix = f"pyot:{context.pipeline}@:"
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
        problems.extend(_redis_outage_problems(alias, f"{path}['ALIAS']"))
        return problems

    def _apply_namespace(self, namespace: str) -> None:
        # Every key of this store starts with this prefix, and only this store's keys
        # do: "pyot:lol@<key identity>:" ends with ":", so key A's prefix is never a
        # prefix of key B's. clear() deletes exactly this prefix.
        self._key_prefix = f"pyot:{namespace}:"

    @property
    def key_prefix(self) -> str:
        """What every key of this store (this pipeline and API key) starts with, before the alias's own."""
        return self._key_prefix

    @property
    def cache(self) -> BaseCache:
        # Django keeps one cache object per alias and thread/loop; fetch it each time.
        return caches[self.alias]

    def _sync_key(self, token: PipelineToken, cache: Any) -> str:
        if uses_generations(cache):
            return f"{self._key_prefix}g{cache.get(self._key_prefix + 'generation', 0)}:{token.stringify}"
        return self._key_prefix + token.stringify

    async def _key(self, token: PipelineToken, cache: BaseCache) -> str:
        if uses_generations(cache):
            generation = await cache.aget(f"{self._key_prefix}generation", 0)
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
        strict = strict_cache(cache)
        if strict is not cache:
            # Not thread-sensitive: django-redis's client is thread-safe, and lookups must not
            # queue behind one that is waiting out a frozen Redis's socket timeout.
            return await sync_to_async(self._get_strict, thread_sensitive=False)(token, strict)
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
            cache = self._thread.cache = strict_cache(caches[self.alias])
        return self._get_strict(token, cache)

    def _get_strict(self, token: PipelineToken, cache: Any) -> Any:
        value = cache.get(self._sync_key(token, cache), _MISSING)
        if value is _MISSING:
            raise NotFound
        return value

    async def set(self, token: PipelineToken, value: Any) -> None:
        ttl = self.expirations.ttl(token.method)
        if ttl == 0:
            return
        if self.max_value_size is not None:
            self.encode_checked(token, value)  # sized as JSON; the backend stores it its own way
        if (native := native_redis(self.alias)) is not None:  # hook: redis.asyncio path (redis_async.py)
            # redis.asyncio raises on every Redis error (it has no IGNORE_EXCEPTIONS), so the
            # pipeline's cool-down starts at the first one, as on the strict sync path.
            await native.set(self._key_prefix + token.stringify, value, None if ttl < 0 else ttl)
            return
        cache = caches[self.alias]
        timeout = None if ttl < 0 else ttl
        strict = strict_cache(cache)
        if strict is not cache:
            key = self._sync_key(token, strict)
            await sync_to_async(strict.set, thread_sensitive=False)(key, value, timeout=timeout)
            return
        await cache.aset(await self._key(token, cache), value, timeout)

    async def delete(self, token: PipelineToken) -> bool:
        cache = caches[self.alias]
        strict = strict_cache(cache)
        if strict is not cache:
            return bool(await sync_to_async(strict.delete, thread_sensitive=False)(self._sync_key(token, strict)))
        return bool(await cache.adelete(await self._key(token, cache)))

    async def contains(self, token: PipelineToken) -> bool:
        cache = caches[self.alias]
        strict = strict_cache(cache)
        if strict is not cache:
            return bool(await sync_to_async(strict.has_key, thread_sensitive=False)(self._sync_key(token, strict)))
        return bool(await cache.ahas_key(await self._key(token, cache)))

    async def clear(self) -> int | None:
        cache = strict_cache(caches[self.alias])
        return await sync_to_async(clear_prefix, thread_sensitive=False)(caches[self.alias], self._key_prefix, cache)

    async def expire(self) -> int:
        # Every backend drops expired keys itself (TTL); nothing to do here.
        return 0

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["alias"] = self.alias
        info["cache_backend"] = cache_settings().get(self.alias, {}).get("BACKEND", "?")
        return info
