"""A wide-area network between the client and the emulator's edge: one-way delays with jitter.

With ``wan_delay=(0.02, 0.08)`` every request waits a uniform 20-80 ms before the
emulator counts it against the rate limits (the way out), and its answer waits
another uniform draw before the emulator records and sends it (the way back), so
``last_success_at`` in the stats is when the client would see the last answer.
Draws come from their own ``random.Random(seed)``, so enabling the WAN does not
change which requests the seeded random faults hit. A delay is waited to the
deadline, not as a plain ``asyncio.sleep``, which the loop's millisecond resolution
makes 0.5 ms longer in the median (``limiters/sleep.py``): the WAN is the draw.
"""

from __future__ import annotations

import random
import time

from pyot_django.limiters.sleep import sleep_until
from pyot_django.testing.config import EmulatorConfig

__all__ = ["Wan", "wan_for"]


class Wan:
    """The two one-way delays of a request (seconds, uniform in ``[low, high]``)."""

    __slots__ = ("_high", "_low", "_random")

    def __init__(self, low: float, high: float, seed: int) -> None:
        self._low, self._high = low, high
        self._random = random.Random(seed)

    async def way_out(self) -> None:
        await self._leg()

    async def way_back(self) -> None:
        await self._leg()

    async def _leg(self) -> None:
        await sleep_until(time.monotonic() + self._random.uniform(self._low, self._high))


def wan_for(config: EmulatorConfig) -> Wan | None:
    """The WAN of ``config.wan_delay`` (seconds, or a (min, max) pair), or None when it is 0."""
    delay = config.wan_delay
    low, high = delay if isinstance(delay, tuple) else (delay, delay)
    if high <= 0:
        return None
    return Wan(low, high, config.seed)
