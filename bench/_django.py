"""Django set-up shared by the benchmarks: a scratch SQLite file or PostgreSQL database."""

from __future__ import annotations

import os
import tempfile

REDIS_URL = os.environ.get("PYOT_BENCH_REDIS", "redis://127.0.0.1:6379/9")
PG_NAME = "pyot_bench"


def _ensure_pg_database() -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_NAME]).fetchone():
            conn.execute(f"CREATE DATABASE {PG_NAME}")


def setup(db: str = "sqlite") -> None:
    """Configure and start Django for a benchmark run on ``db`` ("sqlite" or "postgres")."""
    from django.conf import settings

    if db == "postgres":
        _ensure_pg_database()
        database = {"ENGINE": "django.db.backends.postgresql", "NAME": PG_NAME, "USER": "postgres", "HOST": "127.0.0.1"}
    else:
        path = os.path.join(tempfile.gettempdir(), f"pyot_bench_{os.getpid()}.sqlite3")
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "pyot_django"],
        DATABASES={"default": database},
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"},
            "redis": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL},
            "redis_builtin": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        },
        USE_TZ=True,
        PYOT={},
        LOGGING_CONFIG=None,
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
