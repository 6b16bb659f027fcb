"""Settings and data shared by the operations, command, task and admin tests.

Redis db 3 is this suite's own (db 1 belongs to the cache tests, db 2 to the
limiter's); a Redis that does not answer fails the test, never skips it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import redis
from django.conf import settings
from django.test import override_settings

from pyot_django.pipeline import PipelineToken, pipelines

__all__ = [
    "FAKE_KEY",
    "METHOD",
    "OPS_REDIS_URL",
    "caches_with_ops",
    "emulated_riot_store",
    "expired_orm_row",
    "ops_settings",
    "pyot_config",
    "summoner",
]

OPS_REDIS_URL = f"{settings.REDIS_URL}/3"
METHOD = "summoner-v4.getByPUUID"
# Recognisable so a test can prove it never reaches a page.
FAKE_KEY = "RGAPI-test-SECRETKEYVISIBLE-9z8y"


def caches_with_ops() -> dict[str, Any]:
    return {
        **settings.CACHES,
        "ops": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": OPS_REDIS_URL,
            # Per process: the SQLite and PostgreSQL runs of the suite may share this Redis at once.
            "KEY_PREFIX": f"ops{os.getpid()}",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 5},
        },
    }


def pyot_config(*, riot: dict[str, Any] | None = None, extra_lol: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """lol: Memory → DjangoCache(redis db 3) → DjangoORM → service; tft: Memory → service."""
    service = riot or {"BACKEND": "tests.fakes.FakeService"}
    return {
        "lol": {
            "STORES": [
                {"BACKEND": "pyot_django.stores.Memory", "EXPIRATIONS": {"*": 60}},
                {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "ops"},
                {"BACKEND": "pyot_django.stores.DjangoORM"},
                *(extra_lol or []),
                service,
            ]
        },
        "tft": {"STORES": [{"BACKEND": "pyot_django.stores.Memory"}, {"BACKEND": "tests.fakes.FakeService"}]},
    }


def _require_redis() -> None:
    client = redis.Redis.from_url(OPS_REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is not answering at {OPS_REDIS_URL}: {exc}", pytrace=False)
    finally:
        client.close()


@contextmanager
def ops_settings(**kwargs: Any) -> Iterator[dict[str, Any]]:
    """PYOT and CACHES for these tests; Redis db 3 is emptied of Pyot keys before and after."""
    _require_redis()
    config = pyot_config(**kwargs)
    with override_settings(CACHES=caches_with_ops(), PYOT=config):
        from django.core.cache import caches

        caches["ops"].delete_pattern("pyot:*")
        try:
            yield config
        finally:
            caches["ops"].delete_pattern("pyot:*")
            caches["ops"].delete_pattern("foreign:*")
            caches["ops"].delete_pattern("pyot_django:lock:*")
            pipelines.reset()


def summoner(puuid: str = "p1", server: str = "na1") -> tuple[str, str, str, dict[str, str]]:
    """Arguments of lookup_token/fetch_token/delete_token for a lol summoner."""
    return ("lol", server, METHOD, {"encryptedPUUID": puuid})


def token(puuid: str = "p1", server: str = "na1") -> PipelineToken:
    return PipelineToken("lol", server, METHOD, {"encryptedPUUID": puuid}, {})


def expired_orm_row(puuid: str = "old") -> None:
    """A row of the lol pipeline's ORM store (index 2) that expired a second ago."""
    from datetime import timedelta

    from django.utils import timezone

    from pyot_django.models import PyotEntry

    PyotEntry.objects.create(
        pipeline="lol",
        server="na1",
        method=METHOD,
        key=pipelines["lol"].stores[2].key_for(token(puuid)),
        value={},
        expires_at=timezone.now() - timedelta(seconds=1),
    )


def emulated_riot_store(base_url: str) -> dict[str, Any]:
    """The RiotAPI store entry of ``ops_settings(riot=...)``, pointed at an emulator."""
    return {
        "BACKEND": "pyot_django.stores.RiotAPI",
        "API_KEY": FAKE_KEY,
        "BASE_URL": base_url,
        "RATE_LIMITER": {"BACKEND": "pyot_django.limiters.MemoryLimiter"},
    }
