"""Removing one pipeline's entries from a Django cache alias, and only those.

(Also how to reach each backend family without the wrappers that hide its errors:
:func:`strict_cache`.)

Django's cache API cannot list keys, so each backend family gets the cheapest
way it has: LocMem scans its dict, Redis (django-redis and Django's own) runs
SCAN+DEL in large batches, the database cache deletes by key prefix in SQL.
Backends that cannot list keys (file, memcached) use a generation number: the
key of every entry includes it, and ``clear`` bumps it so old entries are never
read again and age out through their TTL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.core.cache.backends.base import BaseCache

__all__ = ["clear_prefix", "strict_cache", "uses_generations"]

_SCAN_BATCH = 10_000


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


def uses_generations(cache: BaseCache) -> bool:
    """Whether entries of this backend carry a generation number in their key."""
    family = getattr(cache, "_pyot_family", None)
    if family is None:
        family = _family(cache)
        cache._pyot_family = family  # type: ignore[attr-defined]
    return family == "generations"


def strict_cache(cache: BaseCache) -> Any:
    """``cache``, or for django-redis with ``IGNORE_EXCEPTIONS`` the client beneath it.

    django-redis's ``omit_exception`` wrapper turns a connection error into ``None``
    (a miss) and a write into a no-op, so its caller never learns Redis is down.
    Its ``client`` has the same get/set/delete/has_key/delete_pattern verbs and
    raises ``ConnectionInterrupted``, which the pipeline counts as a failure.
    """
    if getattr(cache, "_ignore_exceptions", False) and _family(cache) == "django_redis":
        return cache.client  # type: ignore[attr-defined]
    return cache


def clear_prefix(cache: BaseCache, prefix: str, strict: Any = None) -> int | None:
    """Delete every key of ``cache`` that starts with ``prefix``; returns how many, if known.

    ``strict`` is what :func:`strict_cache` returned for ``cache`` (errors not hidden).
    """
    family = _family(cache)
    if family == "django_redis":
        target = cache if strict is None else strict
        return target.delete_pattern(f"{prefix}*", itersize=_SCAN_BATCH)  # type: ignore[attr-defined]
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
    made = cache.make_key(prefix)
    with cache._lock:  # type: ignore[attr-defined]
        doomed = [key for key in cache._cache if key.startswith(made)]  # type: ignore[attr-defined]
        for key in doomed:
            cache._delete(key)  # type: ignore[attr-defined]
    return len(doomed)


def _clear_builtin_redis(cache: BaseCache, prefix: str) -> int:
    made = cache.make_key(prefix)
    client = cache._cache.get_client(None, write=True)  # type: ignore[attr-defined]
    count = 0
    batch: list[bytes] = []
    for key in client.scan_iter(match=f"{_glob_escape(made)}*", count=_SCAN_BATCH):
        batch.append(key)
        if len(batch) >= _SCAN_BATCH:
            count += client.unlink(*batch)
            batch.clear()
    if batch:
        count += client.unlink(*batch)
    return count


def _glob_escape(text: str) -> str:
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in text)


def _clear_database(cache: BaseCache, prefix: str) -> int:
    from django.db import connections, router

    made = cache.make_key(prefix)
    db = router.db_for_write(cache.cache_model_class)  # type: ignore[attr-defined]
    connection = connections[db]
    table = connection.ops.quote_name(cache._table)  # type: ignore[attr-defined]
    pattern = made.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE cache_key LIKE %s ESCAPE '\\'", [pattern])
        return cursor.rowcount
