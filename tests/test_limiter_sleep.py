"""Waking at a window's close, not up to 0.1 % of the wait after it (``limiters/sleep.py``).

Linux may end a poll of ``t`` seconds ``t / 1000`` late (timer slack), so a wait of
~10 s for a window's close must not be one sleep: it stops short by more than that
slack and sleeps the rest in short legs, whose slack is microseconds.
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


def test_a_short_wait_is_one_leg() -> None:
    assert precise.first_leg(0.004) == 0.004
    assert precise.first_leg(-1.0) == 0.0


async def test_sleep_until_never_wakes_early_and_ends_on_a_short_leg(monkeypatch: pytest.MonkeyPatch) -> None:
    legs: list[float] = []
    real_sleep = asyncio.sleep
    mine = asyncio.current_task()

    async def recording_sleep(seconds: float) -> None:
        # asyncio.sleep is patched for the whole process: an emulator's uvicorn thread sleeps
        # 0.1 s per tick through it too, so only this task's legs are the ones under test.
        if asyncio.current_task() is mine:
            legs.append(seconds)
        await real_sleep(seconds)

    monkeypatch.setattr(precise.asyncio, "sleep", recording_sleep)
    deadline = time.monotonic() + 0.5
    async with asyncio.timeout(5):
        await precise.sleep_until(deadline)
    assert time.monotonic() >= deadline
    assert len(legs) >= 2  # not one long sleep
    assert legs[-1] <= 0.005  # the deadline itself is reached on a leg with microseconds of slack


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
