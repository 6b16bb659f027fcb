"""Requests per second through ``pipeline.get`` on cold tokens, against a bare httpx loop.

The emulator runs in its own process (the other core) with its limits lifted and
not enforced, so the client side is what is measured. Every request is a distinct
``summoner-v4.getByPUUID`` token (a cold miss). Rows:

- bare ``httpx.AsyncClient``: the same URLs and header, ``C`` concurrent workers;
- ``pipeline.get`` with only the RiotAPI store, limiter off and on (MemoryLimiter);
- ``pipeline.get`` through Memory → RiotAPI (a miss, then the sink), limiter on.

Target: pipeline ÷ bare ≥ 0.8.

    .venv/bin/python bench/riot_store.py [--requests 3000] [--concurrency 50] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

API_KEY = "RGAPI-bench-not-a-real-key"
LIFTED = "100000000:1"


async def _drive(call, count: int, concurrency: int, offset: int) -> float:
    """Run ``call(i)`` for ``count`` distinct i with ``concurrency`` workers; requests per second."""
    counter = itertools.count(offset)
    stop = offset + count

    async def worker() -> None:
        while (i := next(counter)) < stop:
            await call(i)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count / (time.perf_counter() - started)


async def _bare(base_url: str, count: int, concurrency: int, offset: int) -> float:
    import httpx

    url = base_url.format(server="na1") + "/lol/summoner/v4/summoners/by-puuid/"
    headers = {"X-Riot-Token": API_KEY}
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=200, max_keepalive_connections=100)) as client:

        async def call(i: int) -> None:
            response = await client.get(f"{url}cold-{i}", headers=headers)
            response.raise_for_status()
            response.json()

        return await _drive(call, count, concurrency, offset)


async def _pipeline(stores: list[dict], count: int, concurrency: int, offset: int) -> float:
    from pyot_django.pipeline import PipelineToken, build_pipelines

    pipeline = build_pipelines({"lol": {"STORES": stores}})["lol"]

    async def call(i: int) -> None:
        await pipeline.get(PipelineToken("lol", "na1", "summoner-v4.getByPUUID", {"encryptedPUUID": f"cold-{i}"}))

    try:
        return await _drive(call, count, concurrency, offset)
    finally:
        await pipeline.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", default="4,50", help="comma-separated caller counts")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import django
    from django.conf import settings

    settings.configure(INSTALLED_APPS=["pyot_django"], PYOT={}, USE_TZ=True, LOGGING_CONFIG=None)
    django.setup()
    from pyot_django.testing import serve_emulator_process

    with serve_emulator_process() as emulator:
        emulator.configure(app_limits=LIFTED, method_limits=LIFTED, enforce_limits=False)
        riot = {"BACKEND": "pyot_django.stores.RiotAPI", "API_KEY": API_KEY, "BASE_URL": emulator.base_url}
        cases = {
            "bare httpx.AsyncClient": None,
            "pipeline.get: RiotAPI, limiter off": [dict(riot, RATE_LIMITER=None)],
            "pipeline.get: RiotAPI + MemoryLimiter": [riot],
            "pipeline.get: Memory → RiotAPI + MemoryLimiter": [{"BACKEND": "pyot_django.stores.Memory"}, riot],
        }
        levels = [int(level) for level in args.concurrency.split(",")]
        results: dict[tuple[int, str], list[float]] = {(c, name): [] for c in levels for name in cases}
        offset = 0
        for _ in range(args.rounds):
            for concurrency in levels:
                for name, stores in cases.items():
                    offset += args.requests  # every token of every run is cold
                    if stores is None:
                        rate = asyncio.run(_bare(emulator.base_url, args.requests, concurrency, offset))
                    else:
                        rate = asyncio.run(_pipeline(stores, args.requests, concurrency, offset))
                    results[(concurrency, name)].append(rate)
        served = emulator.stats()["total"]
    print(f"{args.requests} cold tokens per run, median of {args.rounds} runs")
    print(f"| {'callers':>7} | {'client':<48} | {'req/s':>7} | {'÷ bare':>6} |")
    print(f"|{'-' * 9}|{'-' * 50}|{'-' * 9}|{'-' * 8}|")
    for concurrency in levels:
        bare = statistics.median(results[(concurrency, "bare httpx.AsyncClient")])
        for name in cases:
            rate = statistics.median(results[(concurrency, name)])
            print(f"| {concurrency:>7} | {name:<48} | {rate:>7.0f} | {rate / bare:>6.2f} |")
    print(f"emulator answered {served} requests")


if __name__ == "__main__":
    main()
