"""A warm hit on each cache store: the pipeline against the bare read it wraps.

For each store (Memory; DjangoCache on LocMem and django-redis; DjangoORM on
SQLite and PostgreSQL) and two payloads (a ~300-byte summoner, a ~76 KB match)
it prints the median time of ``await pipeline.get(token)``, of the bare async
read (``await cache.aget(key)``, ``await queryset.aget()``; for Memory a dict
lookup plus the JSON decode that gives the caller its own copy), their ratio,
for the Redis-backed aliases (django-redis, Django's ``RedisCache``: both read
natively through ``redis.asyncio``) the floor of one ``redis.asyncio`` GET of the
same stored bytes and ours divided by it,
and the same from sync code: ``async_to_sync(pipeline.get)`` against the bare
sync read. ``orjson.loads`` of the match bytes is printed as the floor.

    .venv/bin/python bench/cache_path.py            # both databases (one subprocess each)
    .venv/bin/python bench/cache_path.py --db sqlite
    .venv/bin/python bench/cache_path.py --observe-overhead   # summoner hits: observability off / on

``--observe off|metrics|all`` sets ``PYOT_OBSERVE`` for the run: nothing, Prometheus
metrics, or metrics + fleet counters (in ``PYOT_BENCH_REDIS``) + per-lookup logging
turned on but filtered out (the logger's level is WARNING).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FAKE_ROWS = 2_000  # other rows in the ORM table, so the index lookup is not trivial


def _median_ns(samples: list[int]) -> float:
    return statistics.median(samples) / 1000.0


async def _time_async_pair(ours, bare, n: int) -> tuple[float, float]:
    """Median µs of ``ours`` and ``bare``, alternated call by call so that load on the
    machine (other processes, GC) falls on both alike."""
    for _ in range(min(200, n)):
        await ours()
        await bare()
    ours_ns, bare_ns = [], []
    perf = time.perf_counter_ns
    for _ in range(n):
        start = perf()
        await ours()
        middle = perf()
        await bare()
        ours_ns.append(middle - start)
        bare_ns.append(perf() - middle)
    return _median_ns(ours_ns), _median_ns(bare_ns)


def _time_sync_pair(ours, bare, n: int) -> tuple[float, float]:
    for _ in range(min(100, n)):
        ours()
        bare()
    ours_ns, bare_ns = [], []
    perf = time.perf_counter_ns
    for _ in range(n):
        start = perf()
        ours()
        middle = perf()
        bare()
        ours_ns.append(middle - start)
        bare_ns.append(perf() - middle)
    return _median_ns(ours_ns), _median_ns(bare_ns)


def _time_sync(call, n: int) -> float:
    return _time_sync_pair(call, lambda: None, n)[0]


async def _redis_get_pair(pipeline, token, store, n: int, decoded: bool = False) -> tuple[float, float]:
    """``await pipeline.get`` against the floor: one ``redis.asyncio`` GET of the same stored bytes
    (the same Redis key, a client of its own, no decoding); with ``decoded``, that GET followed by
    the alias's own decoding (its serializer and compressor), which any cache hit that returns the
    value pays: for a large value it is most of the cost."""
    import redis.asyncio as aioredis

    from pyot_django.stores.redis_async import native_redis

    native = native_redis(store.alias)
    assert native is not None, f"alias {store.alias!r} should take the native path"
    client = aioredis.Redis.from_url(native.url)
    key = native.make_key(store.key_for(token))
    assert await client.get(key) is not None
    try:
        if not decoded:
            return await _time_async_pair(lambda: pipeline.get(token), lambda: client.get(key), n)
        decode = native.decode

        async def get_and_decode():
            return decode(await client.get(key))

        return await _time_async_pair(lambda: pipeline.get(token), get_and_decode, n)
    finally:
        await client.aclose()


def _payloads() -> dict[str, bytes]:
    from pyot_django.testing.data import generate, generate_bytes

    account = generate("account-v1.getByRiotId", "americas", {"gameName": "Bench", "tagLine": "NA1"}, {}, None, "k")
    puuid = account["puuid"]
    summoner = generate_bytes("summoner-v4.getByPUUID", "na1", {"encryptedPUUID": puuid}, {}, None, "k")
    ids = generate("match-v5.getMatchIdsByPUUID", "americas", {"puuid": puuid}, {"count": ["1"]}, None, "k")
    match = generate_bytes("match-v5.getMatch", "americas", {"matchId": ids[0]}, {}, None, "k")
    return {"summoner": summoner, "match": match}


def _observe_settings(mode: str) -> dict:
    from bench._django import REDIS_URL

    if mode == "off":
        return {"METRICS": False, "FLEET": False}
    if mode == "metrics":
        return {"METRICS": True, "FLEET": False}
    return {"METRICS": True, "FLEET": REDIS_URL, "FLEET_KEY_PREFIX": "pyot:bench:fleet", "LOG_LOOKUPS": True}


def run(db: str, observe: str = "off", only: tuple[str, ...] = ()) -> list[dict]:
    from bench._django import setup

    setup(db)
    from django.test import override_settings

    with override_settings(PYOT_OBSERVE=_observe_settings(observe)):
        return _run(db, only)


def _run(db: str, only: tuple[str, ...]) -> list[dict]:
    import orjson
    from asgiref.sync import async_to_sync
    from django.core.cache import caches

    from pyot_django.models import PyotEntry
    from pyot_django.pipeline import PipelineToken, build_pipelines

    payloads = _payloads()
    tokens = {
        "summoner": PipelineToken("lol", "na1", "summoner-v4.getByPUUID", {"encryptedPUUID": "bench"}),
        "match": PipelineToken("lol", "americas", "match-v5.getMatch", {"matchId": "NA1_1"}),
    }
    service = {"BACKEND": "pyot_django.stores.RiotAPI", "API_KEY": "RGAPI-bench", "RATE_LIMITER": None}
    stores = {
        "Memory": {"BACKEND": "pyot_django.stores.Memory"},
        "DjangoCache LocMem": {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "locmem"},
        "DjangoCache django-redis": {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis"},
        "DjangoCache Django RedisCache": {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis_builtin"},
        f"DjangoORM {db}": {"BACKEND": "pyot_django.stores.DjangoORM"},
    }
    if db != "sqlite":
        stores = {f"DjangoORM {db}": stores[f"DjangoORM {db}"]}
    if only:
        stores = {label: options for label, options in stores.items() if label.startswith(only)}

    PyotEntry.objects.all().delete()
    PyotEntry.objects.bulk_create(
        PyotEntry(pipeline="lol", server="na1", method="x", key=f"filler:{n}", value={"n": n}) for n in range(FAKE_ROWS)
    )
    rows = []
    for label, options in stores.items():
        pipeline = build_pipelines({"lol": {"STORES": [dict(options, EXPIRATIONS={"*": -1}), service]}})["lol"]
        store = pipeline.stores[0]
        for payload_name, raw in payloads.items():
            token = tokens[payload_name]
            value = orjson.loads(raw)
            async_to_sync(store.set)(token, value)
            n = 3000 if payload_name == "summoner" else 500
            if label.startswith("DjangoORM") or "redis" in label:
                n //= 3
            if label == "Memory":
                data = store._data
                key = token.stringify
                loads = orjson.loads

                async def bare_async(data=data, key=key, loads=loads):
                    return loads(data[key][1])

                def bare_sync(data=data, key=key, loads=loads):
                    return loads(data[key][1])
            elif label.startswith("DjangoCache"):
                cache = caches[store.alias]
                key = store.key_for(token)
                bare_async = lambda cache=cache, key=key: cache.aget(key)  # noqa: E731
                bare_sync = lambda cache=cache, key=key: cache.get(key)  # noqa: E731
            else:
                queryset = PyotEntry.objects.filter(pipeline="lol", key=store.key_for(token)).values_list(
                    "value", "expires_at"
                )
                bare_async = lambda qs=queryset: qs.aget()  # noqa: E731
                bare_sync = lambda qs=queryset: qs.get()  # noqa: E731
            assert async_to_sync(pipeline.get)(token) == value

            async def measure(pipeline=pipeline, token=token, bare_async=bare_async, n=n):
                return await _time_async_pair(lambda: pipeline.get(token), bare_async, n)

            ours, bare = asyncio.run(measure())
            floor_get = floor_decoded = None
            if "Redis" in label or "redis" in label:
                floor_get = asyncio.run(_redis_get_pair(pipeline, token, store, n))
                floor_decoded = asyncio.run(_redis_get_pair(pipeline, token, store, n, decoded=True))
            get_sync = async_to_sync(pipeline.get)
            n_sync = max(100, n // 3)
            via_loop = _time_sync(lambda get_sync=get_sync, token=token: get_sync(token), n_sync)
            ours_sync, bare_sync_us = _time_sync_pair(
                lambda pipeline=pipeline, token=token: pipeline.get_sync(token), bare_sync, n
            )
            rows.append(
                {
                    "store": label,
                    "payload": f"{payload_name} ({len(raw) / 1000:.1f} KB)",
                    "async_get_us": ours,
                    "async_bare_us": bare,
                    "async_ratio": ours / bare,
                    **(
                        {"redis_get_us": floor_get[1], "redis_get_ratio": floor_get[0] / floor_get[1]}
                        if floor_get
                        else {}
                    ),
                    **(
                        {
                            "redis_decoded_us": floor_decoded[1],
                            "redis_decoded_ratio": floor_decoded[0] / floor_decoded[1],
                        }
                        if floor_decoded
                        else {}
                    ),
                    "async_to_sync_us": via_loop,
                    "sync_get_us": ours_sync,
                    "sync_bare_us": bare_sync_us,
                    "sync_ratio": ours_sync / bare_sync_us,
                }
            )
        async_to_sync(pipeline.clear)()
    match = payloads["match"]
    floor = _time_sync(lambda: orjson.loads(match), 500)
    rows.append({"store": "orjson.loads (floor)", "payload": f"match ({len(match) / 1000:.1f} KB)", "floor_us": floor})
    return rows


COLUMNS = (
    ("store", "store", 26, "s"),
    ("payload", "payload", 17, "s"),
    ("async_get_us", "await get µs", 12, ".1f"),
    ("async_bare_us", "bare aget µs", 12, ".1f"),
    ("async_ratio", "ratio", 5, ".2f"),
    ("redis_get_us", "redis.asyncio GET µs", 20, ".1f"),
    ("redis_get_ratio", "÷ GET", 5, ".2f"),
    ("redis_decoded_us", "GET + decode µs", 15, ".1f"),
    ("redis_decoded_ratio", "÷ GET+decode", 12, ".2f"),
    ("async_to_sync_us", "async_to_sync(get) µs", 21, ".1f"),
    ("sync_get_us", "get_sync µs", 11, ".1f"),
    ("sync_bare_us", "bare get µs", 11, ".1f"),
    ("sync_ratio", "ratio", 5, ".2f"),
)


def _cell(value: object, width: int, fmt: str) -> str:
    if value is None:
        return " " * width
    if fmt == "s":
        return f"{value:<{width}}"
    return f"{value:>{width}{fmt}}"


def _print(rows: list[dict]) -> None:
    print("| " + " | ".join(f"{title:<{width}}" for _, title, width, _ in COLUMNS) + " |")
    print("|" + "|".join("-" * (width + 2) for _, _, width, _ in COLUMNS) + "|")
    for row in rows:
        if "floor_us" in row:
            row = {**row, "async_get_us": row["floor_us"]}
        print("| " + " | ".join(_cell(row.get(name), width, fmt) for name, _, width, fmt in COLUMNS) + " |")


def _observe_overhead(db: str = "sqlite") -> None:
    """Hits with observability off / metrics / everything, alternated call by call in one process.

    Configures every subscriber once (metrics, fleet counters, lookup logging with the
    logger at WARNING), then switches between the three states before each call, so the
    machine's load falls on all three alike (the load here moves a lot).
    """
    import orjson

    from bench._django import setup

    setup(db)
    from asgiref.sync import async_to_sync
    from django.test import override_settings

    from pyot_django.observe import events
    from pyot_django.observe.metrics import PrometheusSubscriber
    from pyot_django.pipeline import PipelineToken, build_pipelines

    payloads = _payloads()
    token = PipelineToken("lol", "na1", "summoner-v4.getByPUUID", {"encryptedPUUID": "bench"})
    service = {"BACKEND": "pyot_django.stores.RiotAPI", "API_KEY": "RGAPI-bench", "RATE_LIMITER": None}
    stores = {
        "Memory": {"BACKEND": "pyot_django.stores.Memory"},
        "DjangoCache LocMem": {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "locmem"},
        "DjangoCache django-redis": {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis"},
    }
    state = events._state
    perf = time.perf_counter_ns
    print("| store                      | call      | off µs | metrics µs |  +µs | all µs |  +µs |")
    print("|----------------------------|-----------|--------|------------|------|--------|------|")
    with override_settings(PYOT_OBSERVE=_observe_settings("all")):
        events.subscribers()
        every = dict(state.handlers)
        metrics_only = {
            event: tuple(h for h in handlers if isinstance(getattr(h, "__self__", None), PrometheusSubscriber))
            for event, handlers in every.items()
        }
        modes = (("off", False, {}), ("metrics", True, metrics_only), ("all", True, every))
        for label, options in stores.items():
            pipeline = build_pipelines({"lol": {"STORES": [dict(options, EXPIRATIONS={"*": -1}), service]}})["lol"]
            async_to_sync(pipeline.stores[0].set)(token, orjson.loads(payloads["summoner"]))
            n = 3000 if label != "DjangoCache django-redis" else 600

            def sync_call(pipeline=pipeline):
                return pipeline.get_sync(token)

            async def async_series(pipeline=pipeline, n=n):
                samples = {name: [] for name, _, _ in modes}
                for _ in range(n):
                    for name, on, handlers in modes:
                        state.on, state.handlers = on, handlers
                        start = perf()
                        await pipeline.get(token)
                        samples[name].append(perf() - start)
                return samples

            def sync_series(n=n):
                samples = {name: [] for name, _, _ in modes}
                for _ in range(n):
                    for name, on, handlers in modes:
                        state.on, state.handlers = on, handlers
                        start = perf()
                        sync_call()
                        samples[name].append(perf() - start)
                return samples

            for call, samples in (("await get", asyncio.run(async_series())), ("get_sync", sync_series())):
                off, on, all_ = (_median_ns(samples[name]) for name in ("off", "metrics", "all"))
                print(
                    f"| {label:<26} | {call:<9} | {off:>6.1f} | {on:>10.1f} | {on - off:>4.1f} "
                    f"| {all_:>6.1f} | {all_ - off:>4.1f} |"
                )
        state.on, state.handlers = True, every
    print(f"load average during the run: {' '.join(f'{x:.1f}' for x in __import__('os').getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"])
    parser.add_argument("--observe", choices=["off", "metrics", "all"], default="off")
    parser.add_argument("--only", default="", help="comma-separated store label prefixes")
    parser.add_argument("--observe-overhead", action="store_true")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.observe_overhead:
        _observe_overhead()
        return
    if args.db:
        rows = run(args.db, args.observe, tuple(filter(None, args.only.split(","))))
        if args.json:
            print(json.dumps(rows))
        else:
            _print(rows)
        return
    rows = []
    for db in ("sqlite", "postgres"):
        out = subprocess.run(
            [sys.executable, __file__, "--db", db, "--json"], capture_output=True, text=True, check=True
        ).stdout
        got = json.loads(out.strip().splitlines()[-1])
        rows.extend(row for row in got if db == "sqlite" or row["store"].startswith("DjangoORM"))
    rows.sort(key=lambda row: "floor_us" in row)
    _print(rows[: len(rows)] if rows else rows)


if __name__ == "__main__":
    main()
