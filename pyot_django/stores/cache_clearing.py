"""Removing one pipeline's entries from a Django cache alias, and only those.

(Also how to reach each backend family without the wrappers that hide its errors:
:func:`strict_cache`; and how many keys a prefix has, where the backend can tell:
:func:`count_prefix`, for ``pyot_pipelines``' live probe.)

Django's cache API cannot list keys, so each backend family gets the cheapest
way it has: LocMem scans its dict, Redis (django-redis and Django's own) runs
SCAN+DEL in large batches, the database cache deletes by key prefix in SQL.
Backends that cannot list keys (file, memcached) use a generation number: the
key of every entry includes it, and ``clear`` bumps it so old entries are never
read again and age out through their TTL.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, cast

from .django_redis_api import backend

if TYPE_CHECKING:
    from django.core.cache.backends.base import BaseCache
    from django.core.cache.backends.redis import RedisCache

__all__ = ["clear_prefix", "count_prefix", "strict_cache", "uses_generations"]

_SCAN_BATCH = 10_000


# The private parts of Django's backends that this module reaches and django-stubs leaves out
# (only after ``_family`` named the backend; django-redis, untyped: :func:`.django_redis_api.backend`).
class _LocMemInternals(Protocol):
    _cache: MutableMapping[str, bytes]
    _lock: AbstractContextManager[object]

    def _delete(self, key: str) -> bool: ...

    def make_key(self, key: str, version: int | None = None) -> str: ...


class _DatabaseInternals(Protocol):
    _table: str
    cache_model_class: type[Any]


def _family(cache: BaseCache) -> str:
    module = type(cache).__module__
    name = type(cache).__name__
    if module.startswith("django_redis"):
        return "django_redis"
    if module == "django.core.cache.backends.redis":
        return "django_redis_builtin"
    if name == "LocMemCache":
        return "locmem"
    if name == "DatabaseCache":
        return "database"
    return "generations"


_FAMILY_MEMO = "_pyot_family"
"""The attribute a cache object keeps its family in (ours, on Django's object)."""


def uses_generations(cache: BaseCache) -> bool:
    """Whether entries of this backend carry a generation number in their key."""
    family = getattr(cache, _FAMILY_MEMO, None)
    if family is None:
        family = _family(cache)
        setattr(cache, _FAMILY_MEMO, family)
    return family == "generations"


def strict_cache(cache: BaseCache) -> Any:
    """``cache``, or for django-redis with ``IGNORE_EXCEPTIONS`` the client beneath it.

    django-redis's ``omit_exception`` wrapper turns a connection error into ``None``
    (a miss) and a write into a no-op, so its caller never learns Redis is down.
    Its ``client`` has the same get/set/delete/has_key/delete_pattern verbs and
    raises ``ConnectionInterrupted``, which the pipeline counts as a failure.
    """
    if getattr(cache, "_ignore_exceptions", False) and _family(cache) == "django_redis":
        return backend(cache).client
    return cache


def clear_prefix(cache: BaseCache, prefix: str, strict: Any = None) -> int | None:
    """Delete every key of ``cache`` that starts with ``prefix``; returns how many, if known.

    ``strict`` is what :func:`strict_cache` returned for ``cache`` (errors not hidden).
    """
    family = _family(cache)
    if family == "django_redis":
        target = backend(cache) if strict is None else strict
        deleted: int | None = target.delete_pattern(f"{prefix}*", itersize=_SCAN_BATCH)
        return deleted
    if family == "django_redis_builtin":
        return _clear_builtin_redis(cache, prefix)
    if family == "locmem":
        return _clear_locmem(cache, prefix)
    if family == "database":
        return _clear_database(cache, prefix)
    generation_key = f"{prefix}generation"
    try:
        cache.incr(generation_key)
    except ValueError:
        cache.set(generation_key, 1, None)
    return None


def _clear_locmem(cache: BaseCache, prefix: str) -> int:
    locmem = cast(_LocMemInternals, cache)
    made = locmem.make_key(prefix)
    with locmem._lock:
        doomed = [key for key in locmem._cache if key.startswith(made)]
        for key in doomed:
            locmem._delete(key)
    return len(doomed)


def _clear_builtin_redis(cache: BaseCache, prefix: str) -> int:
    client = cast("RedisCache", cache)._cache.get_client(None, write=True)
    count = 0
    batch: list[bytes] = []
    for key in client.scan_iter(match=_scan_pattern(cache, prefix), count=_SCAN_BATCH):
        batch.append(key)
        if len(batch) >= _SCAN_BATCH:
            count += client.unlink(*batch)
            batch.clear()
    if batch:
        count += client.unlink(*batch)
    return count


def _scan_pattern(cache: BaseCache, prefix: str) -> str:
    """The SCAN ``MATCH`` pattern of the keys ``cache`` made from ``prefix`` (glob-escaped)."""
    made = cache.make_key(prefix)
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in made) + "*"


def _like_pattern(cache: BaseCache, prefix: str) -> str:
    """The SQL ``LIKE … ESCAPE '\\'`` pattern of the keys ``cache`` made from ``prefix``."""
    made = cache.make_key(prefix)
    return made.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _database_table(cache: BaseCache, *, write: bool) -> tuple[Any, str]:
    """The connection of the database cache's table, and its quoted name."""
    from django.db import connections, router

    route = router.db_for_write if write else router.db_for_read
    database = cast(_DatabaseInternals, cache)
    connection = connections[route(database.cache_model_class)]
    return connection, connection.ops.quote_name(database._table)


def _clear_database(cache: BaseCache, prefix: str) -> int:
    connection, table = _database_table(cache, write=True)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE cache_key LIKE %s ESCAPE '\\'", [_like_pattern(cache, prefix)])
        return int(cursor.rowcount)


def count_prefix(cache: BaseCache, prefix: str, cap: int) -> tuple[int, bool, str] | None:
    """How many keys of ``cache`` start with ``prefix``: ``(count, capped, how)``.

    Redis is SCANned (read-only, ``PING``ed first so a dead server fails fast) and stops
    at ``cap`` keys (``capped`` then says "at least"); the database cache counts in SQL;
    LocMem counts this process's copy. ``None``: the backend cannot list its keys.
    """
    family = _family(cache)
    if family in ("django_redis", "django_redis_builtin"):
        if family == "django_redis":
            client = backend(cache).client.get_client(write=False)
        else:
            client = cast("RedisCache", cache)._cache.get_client(None, write=False)
        client.ping()
        count = 0
        for _ in client.scan_iter(match=_scan_pattern(cache, prefix), count=_SCAN_BATCH):
            count += 1
            if count >= cap:
                return count, True, "SCAN"
        return count, False, "SCAN"
    if family == "database":
        connection, table = _database_table(cache, write=False)
        pattern = _like_pattern(cache, prefix)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE cache_key LIKE %s ESCAPE '\\'", [pattern])
            return int(cursor.fetchone()[0]), False, "SQL count"
    if family == "locmem":
        locmem = cast(_LocMemInternals, cache)
        made = locmem.make_key(prefix)
        with locmem._lock:
            return sum(1 for key in locmem._cache if key.startswith(made)), False, "LocMem"
    return None
