"""One client process of ``bench/ratelimit.py``: fetch ``--count`` cold summoners with ``--callers`` tasks.

Runs under the interpreter of the client it drives (the project's ``.venv`` for ours,
``bench/.venvs/<name>`` for a peer), so it imports nothing at module level but the
standard library. Protocol on stdio: set everything up (no request yet), print
``READY``, wait for one line on stdin, run, print ``RESULT {json}``. Every client
sends ``GET {base}/lol/summoner/v4/summoners/by-puuid/{puuid}`` on ``na1`` with the
key in ``X-Riot-Token``.

Clients:

- ``ours-memory`` / ``ours-redis``: ``pipeline.get`` through a pipeline whose only store is
  ``pyot_django.stores.RiotAPI`` with ``MemoryLimiter`` / ``RedisLimiter``;
- ``pulsefire``: ``RiotAPIClient(base_url=...)`` with its default middlewares
  (``rate_limiter_middleware(RiotAPIRateLimiter())``, local; with ``--pulsefire-proxy``
  the limiter asks pulsefire's own limiter server, its way of sharing limits);
- ``pyot-memory`` / ``pyot-redis``: a Pyot 6 pipeline whose only store is
  ``pyot.stores.riotapi.RiotAPI`` with ``pyot.limiters.memory.MemoryLimiter`` /
  ``pyot.limiters.redis.RedisLimiter`` (``max_connections=1000``: see ``_pyot``). Pyot
  6.0.9's RiotAPI store has no base-URL option (its URL prefix is the class attribute
  ``RiotAPIEndpoint.base_url``), so that attribute is set to the emulator's base URL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
Call = Callable[[str], Awaitable[object]]


async def _ours(args: argparse.Namespace) -> tuple[Call, Callable[[], Awaitable[None]]]:
    sys.path.insert(0, ROOT)
    import django
    from django.conf import settings

    settings.configure(INSTALLED_APPS=["pyot_django"], PYOT={}, USE_TZ=True, LOGGING_CONFIG=None)
    django.setup()
    from pyot_django.pipeline import PipelineToken, build_pipelines

    if args.client == "ours-redis":
        limiter = {
            "BACKEND": "pyot_django.limiters.RedisLimiter",
            "LOCATION": args.redis_url,
            "KEY_PREFIX": args.redis_prefix,
        }
    else:
        limiter = {"BACKEND": "pyot_django.limiters.MemoryLimiter"}
    store = {
        "BACKEND": "pyot_django.stores.RiotAPI",
        "API_KEY": args.key,
        "BASE_URL": args.base_url,
        "RATE_LIMITER": limiter,
    }
    pipeline = build_pipelines({"lol": {"STORES": [store]}})["lol"]

    async def call(puuid: str) -> object:
        return await pipeline.get(PipelineToken("lol", "na1", "summoner-v4.getByPUUID", {"encryptedPUUID": puuid}))

    return call, pipeline.aclose


async def _pulsefire(args: argparse.Namespace) -> tuple[Call, Callable[[], Awaitable[None]]]:
    from pulsefire.clients import RiotAPIClient
    from pulsefire.middlewares import http_error_middleware, json_response_middleware, rate_limiter_middleware
    from pulsefire.ratelimiters import RiotAPIRateLimiter

    class ProxiedLimiter(RiotAPIRateLimiter):
        """Forwards header names as Riot writes them (``X-App-Rate-Limit``), not as the emulator does.

        In proxy mode pulsefire posts the headers as a JSON object and its limiter server
        reads ``headers["X-App-Rate-Limit"]`` case-sensitively; the emulator (ASGI) sends
        lowercase names, which that lookup misses (the limiter then takes the scope as
        unlimited: hundreds of 429s). Riot's HTTP/1.1 answers use the capitalised form.
        """

        async def synchronize(self, invocation, headers):  # type: ignore[no-untyped-def]
            recased = {"-".join(part.capitalize() for part in name.split("-")): v for name, v in headers.items()}
            return await super().synchronize(invocation, recased)

    base_url = args.base_url.replace("{server}", "{region}")
    # RiotAPIClient's default middlewares, the rate limiter local or, for a fleet, its own proxy server.
    limiter = ProxiedLimiter(proxy=args.pulsefire_proxy) if args.pulsefire_proxy else RiotAPIRateLimiter()
    middlewares = [json_response_middleware(), http_error_middleware(), rate_limiter_middleware(limiter)]
    client = RiotAPIClient(base_url=base_url, default_headers={"X-Riot-Token": args.key}, middlewares=middlewares)
    await client.__aenter__()

    async def call(puuid: str) -> object:
        return await client.get_lol_summoner_v4_by_puuid(region="na1", puuid=puuid)

    async def close() -> None:
        await client.__aexit__(None, None, None)

    return call, close


async def _pyot(args: argparse.Namespace) -> tuple[Call, Callable[[], Awaitable[None]]]:
    from pyot.conf.pipeline import PipelineConf, activate_pipeline, pipelines
    from pyot.endpoints.riotapi import RiotAPIEndpoint
    from pyot.pipeline.token import PipelineToken

    RiotAPIEndpoint.base_url = args.base_url  # Pyot 6.0.9: no BASE_URL option on the store
    if args.client == "pyot-redis":
        # Extra options go to redis.asyncio.Redis; redis-py >= 6 caps a pool at 100 connections by
        # default and raises MaxConnectionsError beyond, where Pyot 6's era had no cap: give it room.
        limiter = {
            "backend": "pyot.limiters.redis.RedisLimiter",
            "host": args.redis_host,
            "port": args.redis_port,
            "db": args.redis_db,
            "max_connections": 1000,
        }
    else:
        limiter = {"backend": "pyot.limiters.memory.MemoryLimiter"}

    @activate_pipeline("lol")
    class _Conf(PipelineConf):
        name = "lol_bench"
        default = True
        stores = [{"backend": "pyot.stores.riotapi.RiotAPI", "api_key": args.key, "rate_limiter": limiter}]

    pipeline = pipelines["lol"]

    async def call(puuid: str) -> object:
        return await pipeline.get(PipelineToken("lol", "na1", "summoner_v4_by_puuid", {"puuid": puuid}, {}))

    async def close() -> None:
        session = await pipeline.sessions.acquire()
        await session.close()

    return call, close


async def _main(args: argparse.Namespace) -> dict[str, object]:
    if args.client.startswith("ours"):
        call, close = await _ours(args)
    elif args.client == "pulsefire":
        call, close = await _pulsefire(args)
    else:
        call, close = await _pyot(args)
    # Riot's PUUID shape (78 characters of [A-Za-z0-9_-]): the emulator, strict like Riot, answers 400 otherwise.
    puuids = iter([f"{args.prefix}-{i}".ljust(78, "_") for i in range(args.start, args.start + args.count)])
    ok = 0
    errors: Counter[str] = Counter()

    async def worker() -> None:
        nonlocal ok
        for puuid in puuids:
            try:
                await call(puuid)
                ok += 1
            except Exception as exc:
                errors[type(exc).__name__] += 1

    print("READY", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    started, cpu_started = time.time(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(args.callers)))
    ended, cpu = time.time(), time.process_time() - cpu_started
    try:
        await close()
    except Exception as exc:
        errors[f"close:{type(exc).__name__}"] += 1
    # cpu: this process's CPU seconds (user + system, every thread) while the callers ran.
    return {"ok": ok, "errors": dict(errors), "started": started, "ended": ended, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--client", required=True, choices=("ours-memory", "ours-redis", "pulsefire", "pyot-memory", "pyot-redis")
    )
    parser.add_argument("--base-url", required=True, help="http://127.0.0.1:PORT/{server}")
    parser.add_argument("--key", required=True)
    parser.add_argument("--prefix", required=True, help="puuid prefix, unique per run (cold tokens)")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--callers", type=int, required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--redis-prefix", default="pyotbench:rl")
    parser.add_argument("--redis-host", default="127.0.0.1")
    parser.add_argument("--redis-port", type=int, default=6379)
    parser.add_argument("--redis-db", type=int, default=10)
    parser.add_argument("--pulsefire-proxy", default="", help="URL of a RiotAPIRateLimiter().serve() process")
    args = parser.parse_args()
    result = asyncio.run(_main(args))
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
