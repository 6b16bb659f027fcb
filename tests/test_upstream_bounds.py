"""Hostile upstreams, over real HTTP against the emulator: every wait and buffer is bounded.

Each row of issue 9 that is about the transport gets a test asserting the typed
exception, a bounded wall time, that nothing was cached, and that another operation
on the same server completes while (or right after) the bad one misbehaves.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from typing import Any

import pytest

from pyot_django.exceptions import InvalidResponse, RateLimited, ResponseTooLarge, ServerError, Timeout
from tests.helpers import (
    CACHE_STORES,
    lenient_riot_emulator_config,  # noqa: F401  lenient: about hostile upstream answers; its made-up ids ("hostile", "other") are not what it tests
    make_pipeline,
    riot_store,
)

BAD = "summoner-v4.getByPUUID"
GOOD = "champion-v3.getChampionInfo"  # another operation, same server (same app scope)


def pipeline_for(emulator: Any, **options: Any) -> Any:
    return make_pipeline(CACHE_STORES["memory"], CACHE_STORES["locmem"], riot_store(emulator.base_url, **options))


async def bad_lookup(pipeline: Any) -> tuple[Any, float]:
    token = pipeline.token(BAD, "na1", encryptedPUUID="hostile")
    started = time.monotonic()
    try:
        await pipeline.get(token)
    except Exception as exc:
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


async def assert_nothing_cached(pipeline: Any) -> None:
    token = pipeline.token(BAD, "na1", encryptedPUUID="hostile")
    assert not await pipeline.contains(token)
    for store in pipeline.stores[:-1]:
        assert not await store.contains(token)


async def good_lookup(pipeline: Any, bound: float) -> None:
    started = time.monotonic()
    value = await asyncio.wait_for(pipeline.fetch(GOOD, "na1"), bound)
    assert isinstance(value, dict) and time.monotonic() - started < bound


async def run_bad_with_good_beside(pipeline: Any, good_bound: float) -> tuple[Any, float]:
    """The bad lookup, with a good one started 0.2 s into it; then another good one after it."""
    bad = asyncio.create_task(bad_lookup(pipeline))
    await asyncio.sleep(0.2)
    await good_lookup(pipeline, good_bound)
    error, elapsed = await bad
    await good_lookup(pipeline, good_bound)
    await assert_nothing_cached(pipeline)
    return error, elapsed


@pytest.mark.parametrize("value", ["1e9", "inf", "-5", "soon", "nan"])
async def test_retry_after_on_an_application_429_is_capped(emu: Any, caplog: Any, value: str) -> None:
    caplog.set_level(logging.WARNING, logger="pyot_django.riot")
    emu.emulator.script(BAD, [{"status": 429, "retry_after": value, "type": "application", "times": 2}])
    pipeline = pipeline_for(emu, MAX_RETRY_AFTER=1, ERROR_HANDLING={429: ("R", [1])})
    started = time.monotonic()
    with pytest.raises(RateLimited) as info:
        await pipeline.get(pipeline.token(BAD, "na1", encryptedPUUID="hostile"))
    elapsed = time.monotonic() - started
    assert elapsed < 5  # was: never (a 31-year pause for "1e9", asyncio.sleep(inf) for "inf")
    capped = [r for r in caplog.records if "beyond MAX_RETRY_AFTER" in r.getMessage()]
    if value == "1e9":
        assert info.value.retry_after == 1.0 and len(capped) == 1  # capped, logged once for two 429s
    else:
        assert info.value.retry_after is None and capped == []  # garbage = absent: own backoff
    # The app scope was paused for at most the cap (+ margin), not for the header's value.
    await good_lookup(pipeline, 4)
    await assert_nothing_cached(pipeline)


async def test_retry_after_on_a_503_is_capped_and_shared_with_the_retry(emu: Any) -> None:
    emu.emulator.script(BAD, [{"status": 503, "retry_after": "1e9"}, {"status": 503, "retry_after": "1e9"}])
    pipeline = pipeline_for(emu, MAX_RETRY_AFTER=0.5, ERROR_HANDLING={503: ("R", [1])})
    error, elapsed = await run_bad_with_good_beside(pipeline, 3)
    assert isinstance(error, ServerError) and error.status == 503 and error.retry_after == 0.5
    assert 0.45 <= elapsed < 4


async def test_a_deadline_fails_at_once_instead_of_honouring_a_long_retry_after(emu: Any) -> None:
    emu.emulator.script(BAD, [{"status": 429, "retry_after": "30", "type": "method"}])
    pipeline = pipeline_for(emu, DEADLINE=2)
    error, elapsed = await run_bad_with_good_beside(pipeline, 3)
    assert isinstance(error, RateLimited) and error.retry_after == 30
    assert elapsed < 1.5
    # The method scope is paused now: the next call fails at once, saying when to come back.
    started = time.monotonic()
    with pytest.raises(RateLimited) as info:
        await pipeline.fetch(BAD, "na1", encryptedPUUID="other")
    assert time.monotonic() - started < 0.5 and 25 <= info.value.retry_after <= 30.5
    assert info.value.cause == "deadline"


@pytest.mark.parametrize("fault", ["drip_headers", "drip_body"])
async def test_a_dripping_server_is_cut_at_the_attempt_timeout(emu: Any, fault: str) -> None:
    emu.emulator.script(BAD, [{"fault": fault, "interval": 1.5}])
    pipeline = pipeline_for(emu, TIMEOUT=2, ERROR_HANDLING={504: ("T", [])})
    error, elapsed = await run_bad_with_good_beside(pipeline, 1.5)
    assert isinstance(error, Timeout) and error.cause == "AttemptTimeout"
    assert 1.9 <= elapsed < 4  # one byte every 1.5 s never trips a per-read timeout of 2 s
    assert error.__cause__ is None and error.__context__ is None


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRSS:
    """Samples this process's resident memory every 5 ms while the block runs."""

    def __enter__(self) -> PeakRSS:
        self.base = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.base) / 1e6


@pytest.mark.parametrize("content_length", [None, True, 1000], ids=["chunked", "honest", "lying"])
async def test_a_300_mb_answer_is_cut_while_streaming(emu: Any, content_length: Any) -> None:
    emu.emulator.script(BAD, [{"fault": "oversized", "size": 300_000_000, "content_length": content_length}])
    pipeline = pipeline_for(emu, TIMEOUT=20, ERROR_HANDLING={500: ("T", []), 504: ("T", [])})
    with PeakRSS() as rss:
        error, elapsed = await run_bad_with_good_beside(pipeline, 5)
    print(f"300 MB ({content_length}): {type(error).__name__} in {elapsed:.2f} s, RSS +{rss.growth_mb:.0f} MB")
    if content_length == 1000:
        # A lying Content-Length: h11 stops at 1000 bytes, which is not JSON.
        assert isinstance(error, InvalidResponse) and not isinstance(error, ResponseTooLarge)
    else:
        assert isinstance(error, ResponseTooLarge) and error.status == 200
        assert "MAX_RESPONSE_SIZE" in str(error) and BAD in str(error) and "na1" in str(error)
    assert elapsed < 10
    assert rss.growth_mb < 100  # the default cap is 16 MiB; 300 MB were never held


async def test_a_small_max_response_size_refuses_before_the_body(emu: Any) -> None:
    emu.emulator.script(BAD, [{"fault": "oversized", "size": 50_000, "content_length": True}])
    pipeline = pipeline_for(emu, MAX_RESPONSE_SIZE=10_000)
    error, elapsed = await run_bad_with_good_beside(pipeline, 3)
    assert isinstance(error, ResponseTooLarge) and "Content-Length 50000" in str(error)
    assert elapsed < 2


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"fault": "empty"}, "empty body"),
        ({"fault": "null"}, "null"),
        ({"fault": "wrong_type"}, "not the object"),
        ({"fault": "malformed"}, "not JSON"),
        ({"status": 200, "body": 7}, "not the object"),
    ],
    ids=["empty", "null", "wrong-type", "malformed", "scalar"],
)
async def test_a_body_that_is_not_data_is_an_error_never_a_value(emu: Any, entry: dict, reason: str) -> None:
    emu.emulator.script(BAD, [{**entry, "times": 3}])
    pipeline = pipeline_for(emu, ERROR_HANDLING={500: ("R", [2])})
    error, elapsed = await run_bad_with_good_beside(pipeline, 3)
    assert isinstance(error, InvalidResponse) and reason in str(error), error
    assert elapsed < 3
    assert emu.emulator.stats()["total"] >= 3  # retried like a 500, then refused


async def test_an_array_operation_refuses_an_object(emu: Any) -> None:
    emu.emulator.script("match-v5.getMatchIdsByPUUID", [{"status": 200, "body": {"ids": []}}])
    pipeline = pipeline_for(emu, ERROR_HANDLING={500: ("T", [])})
    with pytest.raises(InvalidResponse, match="a JSON object, not the array"):
        await pipeline.fetch("match-v5.getMatchIdsByPUUID", "americas", puuid="p")
    assert isinstance(await pipeline.fetch("match-v5.getMatchIdsByPUUID", "americas", puuid="p"), list)


@pytest.mark.parametrize(
    "entry", [{"fault": "oversized", "size": 300_000_000}, {"fault": "drip_body", "interval": 1.5}]
)
async def test_the_same_bounds_hold_through_a_pipeline_session(emu: Any, entry: dict) -> None:
    import httpx

    emu.emulator.script(BAD, [entry])
    pipeline = pipeline_for(emu, TIMEOUT=2, ERROR_HANDLING={500: ("T", []), 504: ("T", [])})
    async with httpx.AsyncClient() as session:
        pipeline.sessions["mine"] = session
        token = pipeline.token(BAD, "na1", encryptedPUUID="hostile")
        started = time.monotonic()
        with PeakRSS() as rss:
            with pytest.raises((ResponseTooLarge, Timeout)) as info:
                await pipeline.get(token, sid="mine")
        elapsed = time.monotonic() - started
    expected = ResponseTooLarge if entry["fault"] == "oversized" else Timeout
    assert isinstance(info.value, expected) and elapsed < 4 and rss.growth_mb < 100
    await good_lookup(pipeline, 3)
    await assert_nothing_cached(pipeline)
