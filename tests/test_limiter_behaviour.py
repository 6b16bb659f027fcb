"""The window algorithm, run on both limiters against Riot's fixed windows (real Redis, db 15)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from pyot_django.limiters import Limiter, build_limiter, engine
from tests.limiter_support import REDIS_DB_URL, FixedWindowRiot, call, drop_prefix, headers, unique_prefix

KEY = "k0ffee"
Factory = Callable[..., Limiter]


@pytest.fixture(params=["memory", "redis"])
async def make_limiter(request: pytest.FixtureRequest) -> AsyncIterator[Factory]:
    made: list[Limiter] = []
    prefixes: list[str] = []

    def factory(**options: Any) -> Limiter:
        if request.param == "redis":
            prefixes.append(unique_prefix())
            options = {"BACKEND": "pyot_django.limiters.RedisLimiter", "LOCATION": REDIS_DB_URL,
                       "KEY_PREFIX": prefixes[-1], **options}
        limiter = build_limiter(options, setting_path="test")
        made.append(limiter)
        return limiter

    yield factory
    for limiter in made:
        await limiter.aclose()
    for prefix in prefixes:
        drop_prefix(prefix)


async def run(limiter: Limiter, riot: FixedWindowRiot, total: int, callers: int,
              **kwargs: Any) -> tuple[list[int], float]:
    """``total`` calls by ``callers`` concurrent tasks; returns the statuses and wall time."""
    queue = list(range(total))
    statuses: list[int] = []

    async def worker() -> None:
        while queue:
            queue.pop()
            statuses.append(await call(limiter, riot, **kwargs))

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(callers)))
    return statuses, time.monotonic() - started


async def test_probe_holds_everyone_until_its_answer(make_limiter: Factory) -> None:
    limiter = make_limiter()
    entered: list[int] = []
    gate = asyncio.Event()

    async def one(i: int) -> None:
        async with limiter.slot(KEY, "na1", "match-v5.getMatch") as slot:
            entered.append(i)
            await gate.wait()
            await slot.record(200, headers(app="100:1", method="100:1"))

    tasks = [asyncio.create_task(one(i)) for i in range(10)]
    await asyncio.sleep(0.3)
    assert len(entered) == 1  # only the probe is out
    gate.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert len(entered) == 10


@pytest.mark.parametrize("fail", ["exception", "500 without headers", "429 without headers"])
async def test_failed_probe_hands_over_to_the_next_waiter(make_limiter: Factory, fail: str) -> None:
    limiter = make_limiter()
    entered: list[int] = []
    release = asyncio.Event()

    async def probe() -> None:
        async with limiter.slot(KEY, "na1", "m") as slot:
            entered.append(0)
            await release.wait()
            if fail == "exception":
                raise ConnectionError("reset by peer")
            await slot.record(int(fail[:3]), {"Retry-After": "0"} if fail.startswith("429") else {})

    async def waiter(i: int) -> None:
        async with limiter.slot(KEY, "na1", "m") as slot:
            entered.append(i)
            await asyncio.sleep(0.3)
            await slot.record(200, headers())

    first = asyncio.create_task(probe())
    await asyncio.sleep(0.05)
    others = [asyncio.create_task(waiter(i)) for i in range(1, 6)]
    await asyncio.sleep(0.1)
    release.set()
    await asyncio.gather(first, return_exceptions=True)
    await asyncio.sleep(0.15)
    assert len(entered) == 2  # exactly one waiter became the next probe
    await asyncio.wait_for(asyncio.gather(*others), 5)
    assert len(entered) == 6


async def test_fixed_windows_zero_429_and_full_use(make_limiter: Factory) -> None:
    limiter = make_limiter()
    riot = FixedWindowRiot(app="5:1,12:3", method="100:1")
    statuses, elapsed = await run(limiter, riot, total=17, callers=20)
    assert riot.rejected == {}, riot.rejected
    assert statuses == [200] * 17
    # 5 at t=0, 5 at ~1, 2 at ~2 (12 per 3 s), then 5 at ~3 after the 3-second window closes.
    assert 3.0 <= elapsed < 3.8


async def test_many_scopes_are_independent(make_limiter: Factory) -> None:
    limiter = make_limiter()
    riot = FixedWindowRiot(app="4:1", method="2:1")
    results = await asyncio.gather(*(call(limiter, riot, server=server, method=method)
                                     for server in ("na1", "euw1") for method in ("a", "b", "c")
                                     for _ in range(2)))
    assert set(results) == {200}
    assert riot.rejected == {}


async def test_limiting_share_halves_throughput(make_limiter: Factory) -> None:
    full, half = make_limiter(), make_limiter(LIMITING_SHARE=0.5)
    riot_full, riot_half = FixedWindowRiot(app="10:1"), FixedWindowRiot(app="10:1")
    (_, t_full), (_, t_half) = await asyncio.gather(run(full, riot_full, 20, 20), run(half, riot_half, 20, 20))
    assert riot_full.rejected == {} and riot_half.rejected == {}
    assert 1.0 <= t_full < 1.7  # 10 + 10
    assert 3.0 <= t_half < 3.7  # 5 + 5 + 5 + 5
    per_window = [sum(1 for t in riot_half.admitted if start <= t < start + 1) for start in riot_half.admitted]
    assert max(per_window) == 5


async def test_reseed_from_counts_near_the_limit(make_limiter: Factory) -> None:
    limiter = make_limiter()
    # Someone used the key already: 4 of 5 this second, 8 of 10 this minute.
    riot = FixedWindowRiot(app="5:1,10:60", preseed_app=(4, 8))
    tasks = [asyncio.create_task(call(limiter, riot, method="x")) for _ in range(6)]
    await asyncio.sleep(2.5)
    # Probe -> 5:1 full, 9:60; one more after a second -> 10:60 full; the rest wait a minute.
    assert riot.rejected == {}
    assert len(riot.admitted) == 2 and riot.admitted[1] - riot.admitted[0] >= 1.0
    assert sum(task.done() for task in tasks) == 2
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@pytest.mark.parametrize(("limit_type", "paused", "retry_after"), [
    ("application", "app", "1"), ("application", "app", None),
    ("method", "method", "1"), ("service", "method", "1"), ("weird", "method", "1"),
    (None, "method", "1"), (None, "method", None),
])
async def test_429_pauses_the_named_scope(make_limiter: Factory, limit_type: str | None, paused: str,
                                          retry_after: str | None) -> None:
    limiter = make_limiter()
    ok = headers(app="100:1", method="100:1")
    async with limiter.slot(KEY, "na1", "a") as slot:  # learn the limits
        await slot.record(200, ok)
    extra = {"X-Rate-Limit-Type": limit_type} if limit_type else {}
    if retry_after:
        extra["Retry-After"] = retry_after
    async with limiter.slot(KEY, "na1", "a") as slot:
        paused_at = time.monotonic()  # the pause counts from the 429's record, just after this
        await slot.record(429, {**ok, **extra})

    async def waited(method: str) -> float:
        # From the 429, not from this call: the backoff's 1 s ends exactly 1 s after the
        # record (the limiter's waits are exact), a few µs before 1 s after this call.
        async with limiter.slot(KEY, "na1", method) as slot:
            admitted = time.monotonic()
            await slot.record(200, ok)
        return admitted - paused_at

    same, other = await asyncio.gather(waited("a"), waited("b"))
    assert same >= 1.0  # Retry-After 1 s (+margin), or the first backoff step of 1 s
    assert same < 2.5
    if paused == "app":
        assert other >= 1.0
    else:
        assert other < 0.5


async def test_backoff_doubles_without_retry_after(make_limiter: Factory) -> None:
    limiter = make_limiter()
    ok = headers(app="100:1", method="100:1")
    started = time.monotonic()
    for _ in range(2):
        async with limiter.slot(KEY, "na1", "a") as slot:
            await slot.record(429, {**ok, "X-Rate-Limit-Type": "method"})
    async with limiter.slot(KEY, "na1", "a") as slot:
        await slot.record(200, ok)
    # 1 s after the first, then 2 s after the second 429.
    assert 2.9 <= time.monotonic() - started < 4.5


async def test_limit_change_reseeds(make_limiter: Factory) -> None:
    limiter = make_limiter()
    riot = FixedWindowRiot(app="20:1")
    await run(limiter, riot, total=3, callers=3)
    riot.app_limits, riot.app_raw = ((3, 1),), "3:1"  # Riot lowers the limit mid-run
    statuses, _ = await run(limiter, riot, total=9, callers=9)
    # At most the in-flight requests can meet the old limit; after that the new one holds.
    assert sum(1 for s in statuses if s == 429) <= 3
    riot.rejected.clear()
    await asyncio.sleep(1.1)
    await run(limiter, riot, total=6, callers=6)
    assert riot.rejected == {}


async def test_spread_pacing_spaces_requests(make_limiter: Factory) -> None:
    limiter = make_limiter(PACING="spread")
    riot = FixedWindowRiot(app="10:1")
    _, elapsed = await run(limiter, riot, total=6, callers=6)
    gaps = [b - a for a, b in zip(riot.admitted, riot.admitted[1:], strict=False)]
    assert min(gaps) >= 0.07  # 1 s / 10 between admissions; arrivals jitter a little
    assert elapsed >= 0.5
    assert riot.rejected == {}


async def test_cancelled_waiters_leak_nothing(make_limiter: Factory) -> None:
    limiter = make_limiter()
    riot = FixedWindowRiot(app="5:1")
    await run(limiter, riot, total=5, callers=5)  # the window is now full for ~1 s
    waiters = [asyncio.create_task(call(limiter, riot)) for _ in range(100)]
    await asyncio.sleep(0.2)
    for task in waiters:
        task.cancel()
    results = await asyncio.gather(*waiters, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    assert len(riot.admitted) == 5
    # Fully usable: the next window gives exactly 5 more, promptly, and no 429.
    statuses, elapsed = await run(limiter, riot, total=10, callers=10)
    assert riot.rejected == {} and statuses == [200] * 10
    assert elapsed < 2.5


async def test_cancelled_probe_waiters_and_probe_leak_nothing(make_limiter: Factory) -> None:
    limiter = make_limiter()
    riot = FixedWindowRiot(app="5:1")
    probe_in = asyncio.Event()

    async def stuck_probe() -> None:
        async with limiter.slot(KEY, "na1", "m"):
            probe_in.set()
            await asyncio.sleep(60)

    probe = asyncio.create_task(stuck_probe())
    await probe_in.wait()
    waiters = [asyncio.create_task(call(limiter, riot, method="m")) for _ in range(100)]
    await asyncio.sleep(0.1)
    for task in [*waiters, probe]:
        task.cancel()
    await asyncio.gather(*waiters, probe, return_exceptions=True)
    assert riot.admitted == []
    started = time.monotonic()
    assert await call(limiter, riot, method="m") == 200  # a new probe goes at once
    assert time.monotonic() - started < 0.5


async def _learn_then_close(limiter: Limiter) -> None:
    """Probe ``100:1`` limits for scope (KEY, na1, m), then let that first epoch close."""
    async with limiter.slot(KEY, "na1", "m") as slot:
        await slot.record(200, headers(app="100:1", method="100:1"))
    await asyncio.sleep(1.1)


async def test_each_epoch_opens_with_a_lone_lead(make_limiter: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    # A hold long enough to see (the default, LEAD_HOLD, is a loopback round trip: next test).
    monkeypatch.setattr(engine, "LEAD_HOLD", 1.0)
    limiter = make_limiter()
    await _learn_then_close(limiter)
    entered: list[int] = []
    gate = asyncio.Event()

    async def one(i: int) -> None:
        async with limiter.slot(KEY, "na1", "m") as slot:
            entered.append(i)
            await gate.wait()
            await slot.record(200, headers(app="100:1", method="100:1", app_count=f"{len(entered)}:1",
                                           method_count=f"{len(entered)}:1"))

    tasks = [asyncio.create_task(one(i)) for i in range(10)]
    await asyncio.sleep(0.3)
    assert len(entered) == 1  # the lead is out alone: its answer is the epoch's close reference
    gate.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert len(entered) == 10  # then the rest of the epoch at once, not a lead each


async def test_the_epoch_follows_its_lead_after_lead_hold_without_waiting_for_its_answer(make_limiter: Factory) -> None:
    """Over a long round trip (a WAN) the burst goes LEAD_HOLD after the lead, not one round trip later."""
    limiter = make_limiter()
    await _learn_then_close(limiter)
    entered: list[float] = []
    gate = asyncio.Event()  # the lead's answer (and every other) takes as long as the test says
    all_out = asyncio.Event()

    async def one() -> None:
        async with limiter.slot(KEY, "na1", "m") as slot:
            entered.append(time.monotonic())
            if len(entered) == 10:
                all_out.set()
            await gate.wait()
            count = f"{len(entered)}:1"
            await slot.record(200, headers(app="100:1", method="100:1", app_count=count, method_count=count))

    tasks = [asyncio.create_task(one()) for _ in range(10)]
    await asyncio.wait_for(all_out.wait(), 2.0)  # every request out with no answer yet
    lead, *rest = entered
    assert min(rest) - lead >= engine.LEAD_HOLD * 0.9  # the lead went alone for its hold
    assert max(rest) - lead < engine.LEAD_HOLD + 0.5  # then the rest, without its answer
    gate.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)


async def test_no_hold_when_the_last_epochs_answers_were_slower_than_the_hold(
    make_limiter: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over a WAN no answer can come inside ``LEAD_HOLD``: holding the burst for it only costs time."""
    monkeypatch.setattr(engine, "LEAD_HOLD", 0.3)  # long enough to tell "with the lead" from "after the hold"
    limiter = make_limiter()
    await _learn_then_close(limiter)  # a fast probe: the first epoch is held as usual

    async def epoch(answer_after: float) -> list[float]:
        entered: list[float] = []

        async def one() -> None:
            async with limiter.slot(KEY, "na1", "m") as slot:
                entered.append(time.monotonic())
                await asyncio.sleep(answer_after)
                count = f"{len(entered)}:1"
                await slot.record(200, headers(app="100:1", method="100:1", app_count=count, method_count=count))

        await asyncio.wait_for(asyncio.gather(*(one() for _ in range(10))), 5)
        return entered

    held = await epoch(answer_after=0.5)  # every answer slower than the hold
    assert min(held[1:]) - held[0] >= 0.3 * 0.9  # this epoch still followed the fast probe: held
    await asyncio.sleep(1.6)  # its window closes (answers came 0.5 s in)
    burst = await epoch(answer_after=0.1)
    assert max(burst) - burst[0] < 0.05  # the burst went with its lead: the last answers were slow
    await asyncio.sleep(1.3)
    again = await epoch(answer_after=0.1)
    assert min(again[1:]) - again[0] >= 0.09  # faster than the hold again: held until the lead's answer


@pytest.mark.parametrize("fail", ["exception", "cancel", "lost"])
async def test_failed_or_lost_lead_frees_the_scope(
    make_limiter: Factory, fail: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "LEAD_HOLD", 1.0)  # long enough to tell "at once" from "after the hold"
    limiter = make_limiter()
    await _learn_then_close(limiter)
    entered: list[int] = []
    release = asyncio.Event()

    async def lead() -> None:
        async with limiter.slot(KEY, "na1", "m"):
            entered.append(0)
            await release.wait()
            if fail == "exception":
                raise ConnectionError("reset by peer")
            await asyncio.sleep(60)  # "lost": never answers while its lease runs

    async def waiter(i: int) -> None:
        async with limiter.slot(KEY, "na1", "m") as slot:
            entered.append(i)
            await slot.record(200, headers(app="100:1", method="100:1", app_count="2:1", method_count="2:1"))

    first = asyncio.create_task(lead())
    await asyncio.sleep(0.05)
    others = [asyncio.create_task(waiter(i)) for i in range(1, 6)]
    await asyncio.sleep(0.1)
    assert len(entered) == 1
    started = time.monotonic()
    release.set()
    if fail == "cancel":
        first.cancel()
    await asyncio.wait_for(asyncio.gather(*others), 5)
    waited = time.monotonic() - started
    assert len(entered) == 6
    if fail == "lost":
        assert 0.6 <= waited < 2.0  # the hold (LEAD_HOLD) ended and freed the scope
        first.cancel()
    else:
        assert waited < 0.5  # freed at once, not after the lease
    await asyncio.gather(first, return_exceptions=True)


async def test_max_wait_raises_at_once_when_room_is_further_and_holds_nothing(make_limiter: Factory) -> None:
    from pyot_django.limiters import WaitTooLong

    limiter = make_limiter()
    ok = headers(app="100:1", method="100:1")
    async with limiter.slot(KEY, "na1", "a") as slot:
        await slot.record(429, {**ok, "X-Rate-Limit-Type": "application", "Retry-After": "2"})
    started = time.monotonic()
    for _ in range(5):
        with pytest.raises(WaitTooLong) as info:
            async with limiter.slot(KEY, "na1", "b", max_wait=0.5):
                pytest.fail("admitted into a paused scope")
    assert time.monotonic() - started < 0.5  # no sleeping: the pause is known to be longer
    assert 1.5 <= info.value.retry_after <= 2.2
    # Nothing was taken by the refusals: once the pause ends, the scope admits at once.
    await asyncio.sleep(max(0.0, info.value.retry_after))
    async with limiter.slot(KEY, "na1", "b", max_wait=0.5) as slot:
        await slot.record(200, ok)


async def test_max_wait_runs_out_while_an_answer_is_awaited(make_limiter: Factory) -> None:
    from pyot_django.limiters import WaitTooLong

    limiter = make_limiter()
    release = asyncio.Event()

    async def probe() -> None:
        async with limiter.slot(KEY, "na1", "a") as slot:
            await release.wait()
            await slot.record(200, headers(app="100:1", method="100:1"))

    task = asyncio.create_task(probe())
    await asyncio.sleep(0.1)
    started = time.monotonic()
    with pytest.raises(WaitTooLong):
        async with limiter.slot(KEY, "na1", "a", max_wait=0.3):
            pytest.fail("admitted past the probe")
    assert 0.25 <= time.monotonic() - started < 1.5
    release.set()
    await asyncio.wait_for(task, 5)
    async with limiter.slot(KEY, "na1", "a", max_wait=1) as slot:  # the refusal left no hold
        await slot.record(200, headers(app="100:1", method="100:1"))


async def test_a_huge_retry_after_pauses_at_most_pause_cap(make_limiter: Factory) -> None:
    from pyot_django.limiters import WaitTooLong
    from pyot_django.limiters.engine import PAUSE_CAP, RETRY_MARGIN

    limiter = make_limiter()
    ok = headers(app="100:1", method="100:1")
    async with limiter.slot(KEY, "na1", "a") as slot:
        await slot.record(429, {**ok, "X-Rate-Limit-Type": "application", "Retry-After": "1e9"})
    with pytest.raises(WaitTooLong) as info:
        async with limiter.slot(KEY, "na1", "a", max_wait=0):
            pass
    assert PAUSE_CAP - 5 <= info.value.retry_after <= PAUSE_CAP + RETRY_MARGIN


async def test_the_callers_parsed_retry_after_is_the_pause(make_limiter: Factory) -> None:
    from pyot_django.limiters import WaitTooLong

    limiter = make_limiter()
    ok = headers(app="100:1", method="100:1")
    async with limiter.slot(KEY, "na1", "a") as slot:
        # The header says 1e9; the caller capped it at 1 s: the limiter pauses 1 s.
        await slot.record(429, {**ok, "X-Rate-Limit-Type": "method", "Retry-After": "1e9"}, retry_after=1.0)
    with pytest.raises(WaitTooLong) as info:
        async with limiter.slot(KEY, "na1", "a", max_wait=0):
            pass
    assert 0.5 <= info.value.retry_after <= 1.2
