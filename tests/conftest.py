"""Shared fixtures: real Redis (fails loudly when down), pipelines from settings."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = f"{settings.REDIS_URL}/1"
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:  # never skip: a missing service is a failure
        pytest.fail(f"Redis is not answering at {url}: {exc}. Start it (see .ci/run).", pytrace=False)
    finally:
        client.close()
    return url


@pytest.fixture
def redis_cache(redis_url: str):
    from django.core.cache import caches

    cache = caches["redis"]
    yield cache
    cache.delete_pattern("pyot:*")
    cache.delete_pattern("foreign:*")


@pytest.fixture(scope="session", autouse=True)
def _close_connections_of_async_orm_thread(django_db_setup, django_db_blocker):
    """Async ORM calls run in asgiref's shared thread; close its connections before
    the test database is dropped (PostgreSQL refuses to drop a database in use)."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result()
