"""RedisLimiter specifics: keys, several OS processes, event loops, outages and restarts."""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import time
from collections.abc import AsyncIterator

import pytest
import redis
from asgiref.sync import async_to_sync

from pyot_django.limiters import RedisLimiter
from tests.limiter_support import (
    KEY_ID,
    REDIS_DB_URL,
    FixedWindowRiot,
    call,
    drop_prefix,
    fixed_window_peaks,
    fleet_worker,
    headers,
    unique_prefix,
)


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    value = unique_prefix()
    yield value
    drop_prefix(value)


def _records(caplog: pytest.LogCaptureFixture, word: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "pyot_django.limiters" and word in r.getMessage()]


async def test_keys_carry_hash_and_ttl_never_the_key(prefix: str) -> None:
    limiter = RedisLimiter(location=REDIS_DB_URL, key_prefix=prefix)
    await call(limiter, FixedWindowRiot(app="5:1"))
    await limiter.aclose()
    client = redis.Redis.from_url(REDIS_DB_URL)
    keys = sorted(k.decode() for k in client.scan_iter(match=f"{prefix}*"))
    assert keys == [f"{prefix}:{{{KEY_ID}:na1}}", f"{prefix}:{{{KEY_ID}:na1}}:match-v5.getMatch"]
    assert all(0 < client.pttl(k) <= 3_700_000 for k in keys)
    client.close()


def test_four_processes_share_one_budget(prefix: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    start_at = time.time() + 4.0  # after every interpreter has started
    with ctx.Pool(4) as pool:
        results = pool.starmap(fleet_worker, [(prefix, start_at, 8, "8:1")] * 4)
    sent = [t for times in results for t in times]
    assert len(sent) == 32
    peaks = fixed_window_peaks(sent, 1.0)
    assert max(peaks) <= 8, peaks
    # 32 requests at 8 per second need 4 windows: about 3 s, not one window per process.
    assert max(sent) - min(sent) < 5.5


def test_a_fresh_event_loop_per_call(prefix: str) -> None:
    limiter = RedisLimiter(location=REDIS_DB_URL, key_prefix=prefix)
    riot = FixedWindowRiot(app="50:1")
    for _ in range(5):
        assert async_to_sync(call)(limiter, riot) == 200  # asgiref: a new loop each time
    gc.collect()
    assert len(limiter._clients) <= 1  # pools of dead loops are not kept


def test_sync_callers_of_many_threads_share_the_io_loops_calls(prefix: str) -> None:
    """A sync lookup's throwaway loop queues its acquisition on the process's I/O loop
    (io_loop.relay), so concurrent sync callers share script calls too; the window still
    holds what it holds, no more."""
    from concurrent.futures import ThreadPoolExecutor

    limiter = RedisLimiter(location=REDIS_DB_URL, key_prefix=prefix)
    riot = FixedWindowRiot(app="20:1", method="1000:10")
    assert async_to_sync(call)(limiter, riot) == 200  # the probe: limits learned
    time.sleep(1.1)
    calls: list[int] = []
    send = limiter._acquires._send

    async def counting(keys: tuple[str, str], n: int) -> list[tuple[str, str, str]]:
        calls.append(n)
        return await send(keys, n)

    limiter._acquires._send = counting
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda _: async_to_sync(call)(limiter, riot, latency=0.01), range(32)))
    assert statuses == [200] * 32
    assert riot.rejected == {}
    assert max(fixed_window_peaks(riot.admitted, 1.0)) <= 20
    assert max(calls) > 1, calls  # threads' callers went out together


async def test_unreachable_redis_falls_back_and_logs_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="pyot_django.limiters")
    limiter = RedisLimiter(location="redis://:secret@127.0.0.1:1/0", fallback_share=0.5)
    riot = FixedWindowRiot(app="10:1")
    started = time.monotonic()
    statuses = await asyncio.gather(*(call(limiter, riot) for _ in range(10)))
    elapsed = time.monotonic() - started
    assert statuses == [200] * 10 and riot.rejected == {}
    assert elapsed >= 1.0  # half of 10 per second: 5 + 5
    assert max(fixed_window_peaks(riot.admitted, 1.0)) <= 5
    warnings = _records(caplog, "unreachable")
    assert len(warnings) == 1
    assert "secret" not in warnings[0].getMessage()
    await limiter.aclose()


async def test_redis_stopped_mid_run_then_back(private_redis: tuple[str, tuple],
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="pyot_django.limiters")
    url, (start, stop) = private_redis
    limiter = RedisLimiter(location=url, fallback_share=0.5)
    riot = FixedWindowRiot(app="10:1")
    assert set(await asyncio.gather(*(call(limiter, riot) for _ in range(10)))) == {200}
    assert not _records(caplog, "unreachable")

    stop()
    await asyncio.sleep(1.1)  # let Riot's window close: the fallback starts from scratch
    statuses = await asyncio.gather(*(call(limiter, riot) for _ in range(10)))
    assert set(statuses) == {200} and riot.rejected == {}
    assert len(_records(caplog, "unreachable")) == 1

    start()
    await asyncio.sleep(1.2)  # the next periodic check finds it
    statuses = await asyncio.gather(*(call(limiter, riot) for _ in range(10)))
    assert set(statuses) == {200} and riot.rejected == {}
    assert len(_records(caplog, "sharing limits")) == 1
    client = redis.Redis.from_url(url)
    assert client.keys("pyot:rl:*")  # state rebuilt in the restarted server
    client.close()
    assert len(_records(caplog, "unreachable")) == 1
    await limiter.aclose()


async def test_restart_forgets_limits_so_the_next_request_probes(prefix: str) -> None:
    limiter = RedisLimiter(location=REDIS_DB_URL, key_prefix=prefix)
    async with limiter.slot(KEY_ID, "na1", "m") as slot:
        await slot.record(200, headers(app="5:1"))
    drop_prefix(prefix)  # what a restart without persistence does to our keys
    entered: list[int] = []
    gate = asyncio.Event()

    async def one() -> None:
        async with limiter.slot(KEY_ID, "na1", "m") as slot:
            entered.append(1)
            await gate.wait()
            await slot.record(200, headers(app="5:1"))

    tasks = [asyncio.create_task(one()) for _ in range(3)]
    await asyncio.sleep(0.3)
    assert len(entered) == 1
    gate.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    await limiter.aclose()


async def test_fallback_waiters_rejoin_redis_within_a_second(private_redis: tuple[str, tuple]) -> None:
    url, (start, stop) = private_redis
    limiter = RedisLimiter(location=url, fallback_share=0.25)  # 20:1 -> 5 per second in fallback
    riot = FixedWindowRiot(app="20:1")
    assert set(await asyncio.gather(*(call(limiter, riot) for _ in range(5)))) == {200}
    stop()
    await asyncio.sleep(1.1)
    admitted: list[tuple[float, bool]] = []

    async def one() -> int:
        async with limiter.slot(KEY_ID, "na1", "match-v5.getMatch") as slot:
            admitted.append((time.monotonic(), slot.ticket.keys is not None))
            status, answer = riot.hit("na1", "match-v5.getMatch")
            await asyncio.sleep(0.004)
            await slot.record(status, answer)
            return status

    started = time.monotonic()
    burst = asyncio.gather(*(one() for _ in range(60)))
    await asyncio.sleep(1.0)  # the burst is queued in the fallback (5/s: it would need ~12 s)
    assert 0 < len(admitted) < 30 and not any(via_redis for _, via_redis in admitted)
    start()
    back = time.monotonic()
    statuses = await asyncio.wait_for(burst, 30)
    finished = time.monotonic() - started
    late_fallback = [t - back for t, via_redis in admitted if not via_redis and t > back + 1.0]
    first_redis = min(t for t, via_redis in admitted if via_redis) - back
    print(f"rejoined {first_redis:.2f} s after Redis answered; burst of 60 took {finished:.2f} s")
    assert late_fallback == []  # nobody stayed in the fallback a second after Redis answered
    assert first_redis < 1.0
    assert finished < 8.0  # vs ~12 s at the fallback's share
    # A restarted Redis does not know what the fallback admitted in the current 1 s window: at
    # most its share (5 of 20) can overlap with Redis's own 20, so at most 5 answers are 429s.
    assert statuses.count(429) <= 5
    await limiter.aclose()


async def test_answers_that_arrive_together_are_recorded_in_fewer_calls_and_none_is_lost(prefix: str) -> None:
    """RedisLimiter batches the answers queued while a record call is in flight
    (limiters/record_batch.py). Lost answers would keep the epoch "in flight": it would
    then close only ``engine.STALE`` seconds later instead of one window after its first answer."""
    limiter = RedisLimiter(location=REDIS_DB_URL, key_prefix=prefix)
    riot = FixedWindowRiot(app="40:1", method="1000:10")
    assert await call(limiter, riot) == 200  # the probe: limits learned
    await asyncio.sleep(1.1)
    sent: list[int] = []  # answers per record call (observed, the call itself is real)
    send = limiter._records._send

    async def counting(keys: tuple[str, str], triples: list[str]) -> None:
        sent.append(len(triples) // 3)
        await send(keys, triples)

    limiter._records._send = counting
    statuses = await asyncio.gather(*(call(limiter, riot, latency=0.0) for _ in range(40)))
    assert statuses == [200] * 40
    assert sum(sent) == 40  # every answer, once
    assert len(sent) < 40  # in fewer calls than one each
    await _next_window_comes_on_time(limiter, riot)  # not STALE: an answer lost in flight


async def test_callers_that_ask_together_share_script_calls_and_never_overshoot(prefix: str) -> None:
    """RedisLimiter admits the callers queued while an acquire call is in flight in one call
    (limiters/acquire_batch.py), by the same rules as one call each: never more than a window
    holds, and the callers beyond it wait for the next window."""
    limiter = RedisLimiter(location=REDIS_DB_URL, key_prefix=prefix)
    riot = FixedWindowRiot(app="40:1", method="1000:10")
    assert await call(limiter, riot) == 200  # the probe: limits learned
    await asyncio.sleep(1.1)
    calls: list[tuple[int, int]] = []  # (callers, admitted) per acquire call; the calls are real
    send = limiter._acquires._send

    async def counting(keys: tuple[str, str], n: int) -> list[tuple[str, str, str]]:
        answers = await send(keys, n)
        assert len(answers) == n
        calls.append((n, sum(answer[0] == "A" for answer in answers)))
        return answers

    limiter._acquires._send = counting
    statuses = await asyncio.gather(*(call(limiter, riot, latency=0.0) for _ in range(60)))
    assert statuses == [200] * 60
    assert riot.rejected == {}  # 40 in the first window, 20 in the next: no 429
    assert sum(admitted for _, admitted in calls) == 60  # every caller admitted once, none extra
    assert max(n for n, _ in calls) > 1  # callers shared calls
    assert len(calls) < 30, calls  # instead of at least one call each
    assert max(fixed_window_peaks(riot.admitted, 1.0)) <= 40
    await limiter.aclose()


async def test_a_caller_cancelled_while_its_batch_is_in_flight_hands_its_admission_back(prefix: str) -> None:
    """The admissions of a batch go to its callers still waiting; one whose caller was cancelled
    meanwhile is handed back as sent and never answered. Kept, it would hold the window "in
    flight": it would then close only ``engine.STALE`` seconds later instead of one window after
    its first answer."""
    limiter = RedisLimiter(location=REDIS_DB_URL, key_prefix=prefix)
    riot = FixedWindowRiot(app="10:1", method="1000:10")
    assert await call(limiter, riot) == 200  # the probe: limits learned
    await asyncio.sleep(1.1)
    assert await call(limiter, riot) == 200  # opens the window; its lead is answered
    in_flight = asyncio.Event()
    send = limiter._acquires._send
    batches: list[int] = []

    async def slow(keys: tuple[str, str], n: int) -> list[tuple[str, str, str]]:
        if n > 1:
            batches.append(n)
            in_flight.set()
        await asyncio.sleep(0.05)  # the call is real; it only takes longer to go out
        return await send(keys, n)

    limiter._acquires._send = slow
    tasks = [asyncio.ensure_future(call(limiter, riot, latency=0.0)) for _ in range(8)]
    async with asyncio.timeout(5):
        await in_flight.wait()  # all 8 queued before the first call went: one call for them all
    for task in tasks[1:8:2]:
        task.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert batches == [8]
    assert [r for r in results if not isinstance(r, BaseException)] == [200] * 4
    assert sum(isinstance(r, asyncio.CancelledError) for r in results) == 4
    limiter._acquires._send = send
    assert await call(limiter, riot) == 200  # the limiter's 10th of this window (4 handed back unsent)
    await _next_window_comes_on_time(limiter, riot)  # not STALE: an admission kept in flight


async def _next_window_comes_on_time(limiter: RedisLimiter, riot: FixedWindowRiot) -> None:
    """With a 1 s window full, the next request waits about one window: an epoch the limiter
    believes still in flight would close only ``engine.STALE`` (5 s) after its last send."""
    started = time.monotonic()
    assert await call(limiter, riot) == 200  # room when the window closes
    waited = time.monotonic() - started
    assert 0.5 < waited < 2.0, waited
    assert riot.rejected == {}
    await limiter.aclose()
