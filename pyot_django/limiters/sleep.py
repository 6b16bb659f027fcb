"""Waking at a known instant, not up to 0.1 % of the wait after it.

Linux lets a ``poll``/``epoll`` wait of ``t`` seconds end up to ``t / 1000`` late
(``select_estimate_accuracy``: timer slack of 0.1 % of the timeout, at most 100 ms),
and an event loop asleep until a window's close ~10 s away is exactly such a wait:
measured here, 3 s sleeps woke 2.3-3.4 ms late and the ``prod`` bench's window closes
were seen 5.4-5.9 ms late, at every window. So a long wait stops short of its
deadline by more than its slack, and the last few milliseconds (whose slack is a few
microseconds) are slept separately: 0.2-1.1 ms late in the same measurement.

That remainder is the event loop's own resolution: ``epoll_wait`` counts whole
milliseconds and asyncio rounds every timeout up to the next one, so a timer lands 0-1
ms late (measured 2026-12-04: the emulator's WAN legs, plain ``asyncio.sleep``, 0.51 ms
late in the median, 1.06 ms at the 90th percentile). So the last millisecond is not
slept at all: the wait looks again at each loop iteration (the loop still polls its
sockets in between) and ends within microseconds of the deadline. That costs at most a
millisecond of one core's iterations per wait, once per window's close.
"""

from __future__ import annotations

import asyncio
import time

__all__ = ["first_leg", "sleep_until"]

_FINE = 0.005
"""A wait this short is slept in one leg to a tick before the deadline (its slack: ~5 µs)."""
_TICK = 0.001
"""The loop's resolution (``epoll_wait``'s millisecond): the last one is not slept."""
_SLACK = 0.002
"""The kernel's slack per second of wait, doubled for room (it allows 0.001)."""


def first_leg(left: float) -> float:
    """How long to sleep now toward a deadline ``left`` seconds away (0: look again at the
    loop's next iteration)."""
    if left <= _TICK:
        return 0.0
    if left <= _FINE:
        return left - _TICK
    return left - left * _SLACK - _FINE / 2


async def sleep_until(deadline: float) -> None:
    """Sleep until ``time.monotonic()`` reaches ``deadline`` (the loop's own clock)."""
    while (left := deadline - time.monotonic()) > 0:  # noqa: ASYNC110 - a deadline, not an event
        await asyncio.sleep(first_leg(left))
