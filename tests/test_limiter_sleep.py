"""Waking at a window's close, not up to 0.1 % of the wait after it (``limiters/sleep.py``).

Linux may end a poll of ``t`` seconds ``t / 1000`` late (timer slack), so a wait of
~10 s for a window's close must not be one sleep: it stops short by more than that
slack and sleeps the rest in short legs, whose slack is microseconds. The loop counts
whole milliseconds (asyncio rounds every timeout up to the next one), so the last
millisecond is not slept: it is looked at on every loop iteration.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from pyot_django.limiters import sleep as precise
from pyot_django.limiters.notify import Notifier


@pytest.mark.parametrize("left", [0.2, 1.0, 10.0, 600.0])
def test_a_long_wait_stops_short_by_more_than_the_kernels_slack(left: float) -> None:
    leg = precise.first_leg(left)
    assert 0 < leg < left - left / 1000  # the slack the kernel allows on this leg
    rest = left - leg
    assert rest < left * 0.003 + 0.005  # and stops no more than a few ms (plus 0.2 %) short


def test_a_short_wait_stops_a_tick_short_and_the_last_tick_is_not_slept() -> None:
    assert precise.first_leg(0.004) == pytest.approx(0.003)
    assert precise.first_leg(0.001) == 0.0
    assert precise.first_leg(0.0004) == 0.0
    assert precise.first_leg(-1.0) == 0.0


def _lateness(samples: list[float]) -> float:
    return sorted(samples)[len(samples) // 2]


async def test_sleep_until_ends_within_a_fraction_of_the_loops_millisecond() -> None:
    # Against plain asyncio.sleep in the same run: its timers land 0-1 ms late (0.5-0.7 ms
    # in the median here), ours within microseconds. Interleaved, so load hits both alike.
    plain: list[float] = []
    ours: list[float] = []
    async with asyncio.timeout(10):
        for index in range(30):
            wait = 0.002 + index * 0.0007  # deadlines that fall anywhere inside a millisecond
            started = time.monotonic()
            await asyncio.sleep(wait)
            plain.append(time.monotonic() - started - wait)
            deadline = time.monotonic() + wait
            await precise.sleep_until(deadline)
            ours.append(time.monotonic() - deadline)
    assert min(ours) >= 0  # never early
    assert _lateness(ours) < 0.2 * max(_lateness(plain), 0.0005)


async def test_sleep_until_never_wakes_early_and_does_not_sleep_in_one_go(monkeypatch: pytest.MonkeyPatch) -> None:
    legs: list[float] = []
    real_sleep = asyncio.sleep
    mine = asyncio.current_task()
    deadline = time.monotonic() + 0.5

    async def recording_sleep(seconds: float) -> None:
        # asyncio.sleep is patched for the whole process: an emulator's uvicorn thread sleeps
        # 0.1 s per tick through it too, so only this task's legs are the ones under test.
        if asyncio.current_task() is mine:
            legs.append(seconds)
        await real_sleep(seconds)

    monkeypatch.setattr(precise.asyncio, "sleep", recording_sleep)
    async with asyncio.timeout(5):
        await precise.sleep_until(deadline)
    assert time.monotonic() >= deadline
    assert legs[0] < 0.5 - 0.5 / 1000  # not one long sleep: it stops short by more than the slack


async def test_notify_at_fires_at_its_deadline_after_legs() -> None:
    notifier = Notifier()
    deadline = time.monotonic() + 0.3
    generation = notifier.generation
    notifier.notify_at(deadline)
    await asyncio.wait_for(notifier.wait(generation, 5), 5)
    woke = time.monotonic()
    assert woke >= deadline  # never before the deadline
    assert woke - deadline < 0.1  # and not a poll's slack (or a lost timer) later
    assert notifier.generation == generation + 1  # one notification, not one per leg


async def test_notify_at_fires_at_the_latest_deadline_of_its_millisecond_not_the_next_tick() -> None:
    notifier = Notifier()
    woke: list[float] = []
    async with asyncio.timeout(10):
        for index in range(20):
            base = time.monotonic() + 0.01 + index * 0.00037
            tick_start = int(base * 1000) / 1000
            first, last = tick_start + 0.0001, tick_start + 0.0006  # one millisecond, two deadlines
            generation = notifier.generation
            notifier.notify_at(first)
            notifier.notify_at(last)
            await notifier.wait(generation, 1)
            now = time.monotonic()
            assert now >= last  # not before any deadline it serves
            woke.append(now - last)
    # The old timer fired at the next millisecond's start (0.4 ms after `last` here, plus the
    # loop's rounding); the median wake now comes well inside that.
    assert _lateness(woke) < 0.0003
