"""A lock with an expiry in a Django cache, so two runs of one periodic task never overlap.

``cache.add`` is atomic on every shared backend (Redis ``SET NX``, memcached
``add``, the database cache's insert), so exactly one caller gets the lock; the
timeout frees it if the holder dies without releasing it (a killed worker). A
caller that finds the lock held does not wait: maintenance that is already
running needs no second run.

Settings (read at call time):

- ``PYOT_TASK_LOCK_CACHE``: the cache alias (default ``"default"``). Use a cache
  every worker shares (Redis, memcached, database); a LocMem cache only guards
  one process.
- ``PYOT_TASK_LOCK_TIMEOUT``: seconds before a lock expires on its own (default
  600). Make it longer than the slowest run.

Nothing here imports Celery; the tasks in :mod:`pyot_django.tasks` use it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches

from .exceptions import ImproperlyConfiguredPipeline

__all__ = ["DEFAULT_LOCK_TIMEOUT", "LOCK_PREFIX", "lock_key", "run_lock"]

DEFAULT_LOCK_TIMEOUT = 600
LOCK_PREFIX = "pyot_django:lock:"


def lock_key(name: str) -> str:
    return f"{LOCK_PREFIX}{name}"


@contextmanager
def run_lock(name: str, timeout: float | None = None, alias: str | None = None) -> Iterator[bool]:
    """``with run_lock("clear_pipelines") as acquired:`` — ``acquired`` is False when another run holds it.

    The lock is released on exit only if it is still ours: a run that outlived the
    timeout must not free the lock a later run has taken since.
    """
    name_of_cache = alias or getattr(settings, "PYOT_TASK_LOCK_CACHE", "default")
    try:
        cache = caches[name_of_cache]
    except InvalidCacheBackendError:
        raise ImproperlyConfiguredPipeline(
            f"PYOT_TASK_LOCK_CACHE {name_of_cache!r} is not an alias of settings.CACHES "
            "(manage.py check reports it as pyot_django.E026); name a cache every worker shares"
        ) from None
    if timeout is None:
        timeout = getattr(settings, "PYOT_TASK_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT)
    key = lock_key(name)
    owner = secrets.token_hex(16)
    acquired = bool(cache.add(key, owner, timeout))
    try:
        yield acquired
    finally:
        # get-then-delete is not atomic, but the gap only matters when our lock expired
        # during the run, and then the timeout was already too short to prevent overlap.
        if acquired and cache.get(key) == owner:
            cache.delete(key)
