"""The parts of django-redis this package uses, typed here because django-redis is not.

django-redis ships neither type hints nor a ``py.typed`` marker, so a plain ``import django_redis``
is an ``import-untyped`` error in every project that type-checks pyot_django and has it installed
(and ``import-not-found`` where it is not). Each name is imported when first asked for, exactly as
the ``import`` statement did, and its result is typed as ``Any`` here, once: django-redis's objects
carry no types a checker could follow anyway.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["backend", "connection_factory_class", "default_client_class", "get_redis_connection"]


def backend(cache: object) -> Any:
    """A ``django_redis.cache.RedisCache`` alias (``client``, ``_ignore_exceptions``...), untyped."""
    return cache


def default_client_class() -> type[Any]:
    """``django_redis.client.DefaultClient`` (raises ImportError without django-redis)."""
    cls: type[Any] = import_module("django_redis.client").DefaultClient
    return cls


def connection_factory_class() -> type[Any]:
    """``django_redis.pool.ConnectionFactory`` (raises ImportError without django-redis)."""
    cls: type[Any] = import_module("django_redis.pool").ConnectionFactory
    return cls


def get_redis_connection(alias: str) -> Any:
    """``django_redis.get_redis_connection(alias)``: the alias's raw ``redis.Redis`` client."""
    return import_module("django_redis").get_redis_connection(alias)
