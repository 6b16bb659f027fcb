"""Settings shared by the observability tests and the worker processes they start.

Redis db 7 is these tests' own; every test uses a fresh key prefix, so runs on
SQLite and PostgreSQL at once do not see each other's counters.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings

__all__ = ["FLEET_REDIS_URL", "observe_settings"]

FLEET_REDIS_URL = f"{os.environ.get('PYOT_TEST_REDIS', 'redis://127.0.0.1:6379')}/7"
FAKE_KEY = "RGAPI-test-FLEETKEYVISIBLE-7q6w"


def observe_settings(base_url: str, prefix: str, *, flush: float = 0.3, metrics: bool = True) -> dict[str, Any]:
    """Memory → DjangoCache (django-redis) → RiotAPI (emulator, RedisLimiter); fleet counters in Redis."""
    return {
        "CACHES": {
            **settings.CACHES,
            "fleet": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": FLEET_REDIS_URL,
                "KEY_PREFIX": prefix,
                "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 5},
            },
        },
        "PYOT": {
            "lol": {
                "STORES": [
                    {"BACKEND": "pyot_django.stores.Memory", "EXPIRATIONS": {"*": 600}},
                    {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "fleet", "EXPIRATIONS": {"*": 600}},
                    {
                        "BACKEND": "pyot_django.stores.RiotAPI",
                        "API_KEY": FAKE_KEY,
                        "BASE_URL": base_url,
                        "ERROR_HANDLING": {429: ("E", [0.05, 4])},
                        "RATE_LIMITER": {
                            "BACKEND": "pyot_django.limiters.RedisLimiter",
                            "LOCATION": FLEET_REDIS_URL,
                            "KEY_PREFIX": f"{prefix}:rl",
                        },
                    },
                ]
            }
        },
        "PYOT_OBSERVE": {
            "METRICS": metrics,
            "FLEET": "auto",
            "FLEET_FLUSH_SECONDS": flush,
            "FLEET_KEY_PREFIX": f"{prefix}:fleet",
        },
    }
