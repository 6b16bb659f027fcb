"""Both limiters against the Riot emulator over real HTTP, used the way the RiotAPI store uses them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from pyot_django.limiters import Limiter, build_limiter
from pyot_django.limiters.base import WARM_LEAD
from pyot_django.testing import EmulatorConfig, serve_emulator
from tests.limiter_support import REDIS_DB_URL, drop_prefix, unique_prefix

PATH = "/na1/lol/summoner/v4/summoners/by-puuid/p-{:_<76}"  # Riot's 78-char PUUID shape
OPERATION = "summoner-v4.getByPUUID"


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[Limiter]:
    prefix = unique_prefix()
    options: dict[str, Any] = {}
    if request.param == "redis":
        options = {"BACKEND": "pyot_django.limiters.RedisLimiter", "LOCATION": REDIS_DB_URL, "KEY_PREFIX": prefix}
    made = build_limiter(options, setting_path="test")
    yield made
    await made.aclose()
    drop_prefix(prefix)


async def _drive(limiter: Limiter, url: str, total: int, callers: int) -> list[int]:
    statuses: list[int] = []
    pending = list(range(total))
    limits = httpx.Limits(max_connections=callers, max_keepalive_connections=callers)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=10) as client:

        async def worker() -> None:
            while pending:
                index = pending.pop()
                async with limiter.slot("k0ffee", "na1", OPERATION) as slot:
                    response = await client.get(PATH.format(index), headers={"X-Riot-Token": "RGAPI-test"})
                    await slot.record(response.status_code, response.headers)
                statuses.append(response.status_code)

        await asyncio.gather(*(worker() for _ in range(callers)))
    return statuses


def _emulator(**changes: Any) -> Callable[[], Any]:
    return lambda: serve_emulator(EmulatorConfig().replace(**changes))


async def test_saturating_callers_earn_no_429(limiter: Limiter) -> None:
    with _emulator(app_limits="10:1,25:3", method_limits="100:1")() as emulator:
        statuses = await _drive(limiter, emulator.url, total=35, callers=24)
        stats = emulator.emulator.stats()
    assert stats["rate_limited"]["application"] == 0 and stats["rate_limited"]["method"] == 0
    assert statuses == [200] * 35
    # 10 + 10 + 5 in the first 3 s window, 10 at its close: about 3 s (slack for a busy box).
    assert stats["last_success_at"] - stats["first_request_at"] < 4.5


async def test_preseeded_counts_and_service_429s(limiter: Limiter) -> None:
    config = {
        "app_limits": "10:1",
        "method_limits": "6:1",
        "preseed": {"method": {"na1": {OPERATION: [5]}}},
        "service_429_rate": 0.2,
        "service_429_type": "unknownType",
        "service_429_retry_after": 1,
    }
    with _emulator(**config)() as emulator:
        statuses = await _drive(limiter, emulator.url, total=14, callers=8)
        stats = emulator.emulator.stats()
    assert stats["rate_limited"]["application"] == 0 and stats["rate_limited"]["method"] == 0
    assert statuses.count(200) + statuses.count(429) == 14


async def test_the_limiter_calls_the_hook_once_shortly_before_room_after_a_long_wait(limiter: Limiter) -> None:
    warmed: list[float] = []
    admitted: list[float] = []
    with serve_emulator(EmulatorConfig().replace(app_limits="2:3", method_limits="100:10")) as emulator:
        async with httpx.AsyncClient(base_url=emulator.url, timeout=10) as client:
            for index in range(3):  # the third waits for the 3 s window's close
                hook = lambda: warmed.append(time.monotonic())  # noqa: E731
                async with limiter.slot("k0ffee", "na1", OPERATION, warm_up=hook) as slot:
                    admitted.append(time.monotonic())
                    response = await client.get(PATH.format(index), headers={"X-Riot-Token": "RGAPI-test"})
                    await slot.record(response.status_code, response.headers)
                assert response.status_code == 200
        stats = emulator.emulator.stats()
    assert stats["rate_limited"]["application"] == 0
    assert admitted[2] - admitted[1] > 2.0  # it really waited for the window
    assert len(warmed) == 1, "the two that did not wait must not warm; the one that did, once"
    assert WARM_LEAD - 0.15 <= admitted[2] - warmed[0] <= WARM_LEAD + 0.15
