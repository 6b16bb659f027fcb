"""Warming up a connection while a request waits for the rate limiter (limiters.base: warm_up).

A server closes idle keep-alive connections (the emulator after ``keep_alive`` seconds), so
after a window's wait every request of the next burst would connect first. The limiter
calls the caller's hook ``WARM_LEAD`` seconds before room, once, on waits of ``WARM_AFTER``
seconds or more; the Riot client opens the request's connection there. (The limiters' side,
against the emulator with both limiters: ``tests/test_limiter_emulator.py``.)
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from asgiref.sync import async_to_sync

from pyot_django.limiters import MemoryLimiter
from pyot_django.limiters.base import WARM_AFTER, WARM_LEAD, Patience
from pyot_django.riot.http import HttpClient, Secret, h1
from pyot_django.riot.retry import parse_error_handling
from pyot_django.testing import EmulatorConfig, serve_emulator

PATH = "/na1/lol/summoner/v4/summoners/by-puuid/w-{:_<76}"  # Riot's 78-char PUUID shape
OPERATION = "summoner-v4.getByPUUID"
pytestmark = pytest.mark.timeout(60)


def test_patience_warms_only_long_waits_once_and_survives_a_failing_hook() -> None:
    calls: list[str] = []
    patience = Patience(None, lambda: calls.append("warm"))
    assert patience.warm_in(WARM_AFTER - 0.01) is None
    assert patience.warm_in(3.0) == pytest.approx(3.0 - WARM_LEAD)
    patience.warm()
    patience.warm()
    assert calls == ["warm"] and patience.warm_in(3.0) is None  # once per acquisition
    assert Patience(None).warm_in(3.0) is None  # no hook, nothing to time

    def broken() -> None:
        raise RuntimeError("the hook's own bug")

    Patience(None, broken).warm()  # logged, not raised: the acquisition goes on


def _record_connects(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """When h1 connections are opened (the real connect still runs)."""
    connects: list[float] = []
    original = h1.OriginConnections._connect

    async def recorded(self: h1.OriginConnections, origin: Any, timeout: float) -> Any:  # noqa: ASYNC109
        connects.append(time.monotonic())
        return await original(self, origin, timeout)

    monkeypatch.setattr(h1.OriginConnections, "_connect", recorded)
    return connects


def _client() -> HttpClient:
    return HttpClient(
        strategies=parse_error_handling(None), secret=Secret("RGAPI-test"), limiter=MemoryLimiter(), timeout=5
    )


# The emulator closes a connection idle for 1 s; the third request waits ~3 s for room.
_SHORT_KEEP_ALIVE = EmulatorConfig().replace(app_limits="2:3", method_limits="100:10")


def _assert_warmed(connects: list[float], answered: list[float]) -> None:
    assert answered[2] - answered[1] > 2.0
    assert len(connects) == 2, f"one connection for the first two, one warmed for the third: {connects}"
    # Opened about WARM_LEAD before the third request went, not when it went.
    assert answered[2] - connects[1] > WARM_LEAD - 0.2, (answered, connects)


async def test_the_client_opens_the_connection_before_room_when_the_server_closed_the_idle_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connects = _record_connects(monkeypatch)
    client = _client()
    answered: list[float] = []
    try:
        with serve_emulator(_SHORT_KEEP_ALIVE, keep_alive=1) as emulator:
            for index in range(3):
                url = emulator.url + PATH.format(index)
                await client.request("GET", url, server="na1", method=OPERATION)
                answered.append(time.monotonic())
            stats = emulator.emulator.stats()
    finally:
        await client.aclose()
    assert stats["rate_limited"]["application"] == 0
    _assert_warmed(connects, answered)


def test_a_sync_callers_connection_is_warmed_in_the_pools_it_is_sent_from(monkeypatch: pytest.MonkeyPatch) -> None:
    # async_to_sync gives each call a loop of its own; the request goes out from the I/O loop's
    # pools, so that is where the warm-up must open its connection.
    connects = _record_connects(monkeypatch)
    client = _client()
    answered: list[float] = []
    with serve_emulator(_SHORT_KEEP_ALIVE, keep_alive=1) as emulator:
        for index in range(3):
            url = emulator.url + PATH.format(index)
            async_to_sync(client.request)("GET", url, server="na1", method=OPERATION)
            answered.append(time.monotonic())
    _assert_warmed(connects, answered)


async def test_no_warm_up_while_the_idle_connection_is_still_open(monkeypatch: pytest.MonkeyPatch) -> None:
    connects = _record_connects(monkeypatch)
    client = _client()
    config = EmulatorConfig().replace(app_limits="2:2", method_limits="100:10")
    try:
        with serve_emulator(config, keep_alive=30) as emulator:
            for index in range(3):
                await client.request("GET", emulator.url + PATH.format(index), server="na1", method=OPERATION)
            await asyncio.sleep(0)
    finally:
        await client.aclose()
    assert len(connects) == 1, "the kept-alive connection serves all three: warming must not open another"
