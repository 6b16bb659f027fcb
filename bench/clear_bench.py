"""Time ``pyot_clear lol`` and ``pyot_expire lol`` on 100,000 ORM rows and 100,000 django-redis entries.

    .venv/bin/python bench/clear_bench.py --db sqlite
    .venv/bin/python bench/clear_bench.py --db postgres      # or PYOT_BENCH_DB=postgres

Needs Redis at 127.0.0.1:6379 (db 3, keys under a per-run prefix) and, for
``--db postgres``, PostgreSQL at 127.0.0.1:5432 (user postgres, trust); the
script creates and drops its own database. It prints a table and checks the
results (everything cleared, foreign keys kept, only expired rows dropped); it
never asserts on time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REDIS_URL = os.environ.get("PYOT_BENCH_REDIS", "redis://127.0.0.1:6379/3")
METHOD = "summoner-v4.getByPUUID"
VALUE = {"puuid": "x" * 78, "profileIconId": 4567, "revisionDate": 1700000000000, "summonerLevel": 321}


def _database(kind: str) -> tuple[dict[str, Any], Any]:
    """Django DATABASES entry and a cleanup callable."""
    if kind == "sqlite":
        path = Path(tempfile.gettempdir()) / f"pyot_bench_{os.getpid()}.sqlite3"
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}, lambda: path.unlink(missing_ok=True)
    import psycopg

    name = f"pyot_bench_{os.getpid()}"
    admin = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')

    engine = {"ENGINE": "django.db.backends.postgresql", "NAME": name, "USER": "postgres", "HOST": "127.0.0.1"}
    return engine, drop


def _configure(database: dict[str, Any]) -> None:
    import django
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "pyot_django"],
        DATABASES={"default": database},
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "bench": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"bench{os.getpid()}",
            },
        },
        PYOT={
            "lol": {
                "STORES": [
                    {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "bench"},
                    {"BACKEND": "pyot_django.stores.DjangoORM"},
                ]
            }
        },
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


def _tokens(rows: int) -> list[Any]:
    from pyot_django.pipeline import PipelineToken

    return [PipelineToken("lol", "na1", METHOD, {"encryptedPUUID": f"puuid-{n:07d}"}) for n in range(rows)]


def _fill_orm(tokens: list[Any], *, half_expired: bool) -> float:
    from django.utils import timezone

    from pyot_django.models import PyotEntry
    from pyot_django.pipeline import pipelines

    orm = pipelines["lol"].stores[1]
    now = timezone.now()
    started = time.perf_counter()
    PyotEntry.objects.bulk_create(
        (
            PyotEntry(
                pipeline="lol",
                server="na1",
                method=METHOD,
                key=orm.key_for(token),
                value=VALUE,
                stored_at=now,
                expires_at=now + timedelta(seconds=-60 if half_expired and n % 2 == 0 else 600),
            )
            for n, token in enumerate(tokens)
        ),
        batch_size=2_000,
    )
    return time.perf_counter() - started


def _fill_redis(tokens: list[Any]) -> float:
    # The exact keys and encoding the DjangoCache store uses: its key_for() made into the
    # alias's full key by make_key(), and the value encoded by django-redis's own client.
    from asgiref.sync import async_to_sync
    from django.core.cache import caches

    from pyot_django.pipeline import pipelines

    store = pipelines["lol"].stores[0]
    cache = caches["bench"]
    client = cache.client.get_client(write=True)
    encoded = cache.client.encode(VALUE)
    started = time.perf_counter()
    for start in range(0, len(tokens), 10_000):
        pipe = client.pipeline(transaction=False)
        for token in tokens[start : start + 10_000]:
            pipe.set(cache.make_key(store.key_for(token)), encoded, ex=600)
        pipe.execute()
    seconds = time.perf_counter() - started
    assert async_to_sync(store.get)(tokens[-1]) == VALUE, "the store cannot read the bench's keys"
    cache.set_many({f"foreign:{n}": n for n in range(1_000)}, timeout=600)
    return seconds


def _command(*args: str) -> tuple[float, dict[str, float]]:
    """Wall time of the command, and each store's own time from its --json output."""
    import json

    from django.core.management import call_command

    out = StringIO()
    started = time.perf_counter()
    call_command(*args, "--json", stdout=out)
    seconds = time.perf_counter() - started
    (pipeline,) = json.loads(out.getvalue())["pipelines"]
    return seconds, {store["name"]: store["seconds"] for store in pipeline["stores"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default=os.environ.get("PYOT_BENCH_DB", "sqlite"))
    parser.add_argument("--rows", type=int, default=100_000)
    options = parser.parse_args()
    rows = options.rows

    database, cleanup = _database(options.db)
    try:
        _configure(database)
        import django
        from django.core.cache import caches
        from django.core.management import call_command
        from django.db.models import Q
        from django.utils import timezone

        from pyot_django.models import PyotEntry

        call_command("migrate", verbosity=0)
        cache = caches["bench"]
        tokens = _tokens(rows)

        orm_fill = _fill_orm(tokens, half_expired=False)
        redis_fill = _fill_redis(tokens)
        clear, clear_stores = _command("pyot_clear", "lol")
        left_rows = PyotEntry.objects.count()
        left_keys = len(cache.keys("pyot:*"))
        foreign = len(cache.keys("foreign:*"))

        _fill_orm(tokens, half_expired=True)
        expire, expire_stores = _command("pyot_expire", "lol")
        live = PyotEntry.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())).count()
        remaining = PyotEntry.objects.count()

        cache.delete_pattern("foreign:*")
        cache.delete_pattern("pyot:*")
        ok = left_rows == 0 and left_keys == 0 and foreign == 1_000 and remaining == live == rows - rows // 2
        print(f"pyot_django clear/expire bench: {options.db}, Django {django.get_version()}, {rows:,} rows")
        print(f"{'step':<44} {'entries':>22} {'seconds':>8}")
        print(f"{'fill ORM (bulk_create)':<44} {rows:>22,} {orm_fill:>8.2f}")
        print(f"{'fill django-redis (pipelined SET)':<44} {rows:>22,} {redis_fill:>8.2f}")
        print(f"{'pyot_clear lol (ORM + django-redis)':<44} {f'{rows:,} + {rows:,}':>22} {clear:>8.2f}")
        for name, seconds in clear_stores.items():
            print(f"{'  of which ' + name:<44} {rows:>22,} {seconds:>8.2f}")
        print(f"{'pyot_expire lol (half of the rows expired)':<44} {f'{rows:,} -> {remaining:,}':>22} {expire:>8.2f}")
        print(f"{'  of which DjangoORM':<44} {rows // 2:>22,} {expire_stores['DjangoORM']:>8.2f}")
        print(
            f"checks: rows left {left_rows}, pyot keys left {left_keys}, foreign keys kept {foreign}/1000, "
            f"rows after expire {remaining} (live {live}): {'OK' if ok else 'FAILED'}"
        )
        print(f"pyot_clear under 5 s: {'yes' if clear < 5 else 'NO'}")
        return 0 if ok else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
