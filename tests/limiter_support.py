"""Helpers for the limiter tests: Riot's fixed windows as a plain object, and a caller.

``FixedWindowRiot`` applies the rules the emulator documents (``pyot_django.testing.
ratelimits``): a window opens at the first admitted request when none is open and
closes ``seconds`` later; a 429 counts nowhere. It is written independently here so
the limiter is checked against the model, not against the code it might share bugs with.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

import redis

from pyot_django.limiters import Limiter, parse_pairs

__all__ = [
    "REDIS_DB_URL",
    "FixedWindowRiot",
    "call",
    "drop_prefix",
    "fixed_window_peaks",
    "fleet_worker",
    "headers",
    "unique_prefix",
]

REDIS_DB_URL = "redis://127.0.0.1:6379/15"
KEY_ID = "k0ffee"


def headers(app: str = "100:1", app_count: str = "1:1", method: str = "1000:1",
            method_count: str = "1:1", **extra: str) -> dict[str, str]:
    """Synthetic Riot response headers (names in Riot's own case)."""
    out = {"X-App-Rate-Limit": app, "X-App-Rate-Limit-Count": app_count,
           "X-Method-Rate-Limit": method, "X-Method-Rate-Limit-Count": method_count}
    out.update({name.replace("_", "-"): value for name, value in extra.items()})
    return out


class FixedWindowRiot:
    """Riot's windows for one key: counts arrivals and answers like the emulator."""

    def __init__(self, app: str = "5:1", method: str = "1000:10",
                 preseed_app: Sequence[int] = (), clock: Callable[[], float] = time.monotonic) -> None:
        self.app_limits = parse_pairs(app)
        self.method_limits = parse_pairs(method)
        self.app_raw, self.method_raw = app, method
        self.clock = clock
        self.preseed_app = tuple(preseed_app)
        self.scopes: dict[tuple[str, ...], list[list[float]]] = {}
        self.rejected: Counter[str] = Counter()
        self.admitted: list[float] = []

    def _windows(self, key: tuple[str, ...], limits: Sequence[tuple[int, int]], now: float,
                 seed: Sequence[int] = ()) -> list[list[float]]:
        if key not in self.scopes:
            windows = [[limit, seconds, 0, -math.inf] for limit, seconds in limits]
            for window, count in zip(windows, seed, strict=False):
                if count:
                    window[2], window[3] = count, now + window[1]
            self.scopes[key] = windows
        return self.scopes[key]

    @staticmethod
    def _counts(windows: list[list[float]], now: float) -> str:
        return ",".join(f"{int(w[2]) if now < w[3] else 0}:{int(w[1])}" for w in windows)

    def hit(self, server: str, method: str) -> tuple[int, dict[str, str]]:
        now = self.clock()
        app = self._windows(("app", server), self.app_limits, now, self.preseed_app)
        meth = self._windows(("method", server, method), self.method_limits, now)
        status, extra = 200, {}
        for scope, windows in (("application", app), ("method", meth)):
            blocking = [w for w in windows if now < w[3] and w[2] >= w[0]]
            if blocking:
                self.rejected[scope] += 1
                retry = max(1, max(math.ceil(w[3] - now) for w in blocking))
                status, extra = 429, {"X-Rate-Limit-Type": scope, "Retry-After": str(retry)}
                break
        if status == 200:
            self.admitted.append(now)
            for w in (*app, *meth):
                if now >= w[3]:
                    w[2], w[3] = 0, now + w[1]
                w[2] += 1
        return status, {**headers(self.app_raw, self._counts(app, now), self.method_raw,
                                  self._counts(meth, now)), **extra}


async def call(limiter: Limiter, riot: FixedWindowRiot, *, server: str = "na1",
               method: str = "match-v5.getMatch", latency: float = 0.004) -> int:
    """One request through ``limiter`` to ``riot`` with a network delay either way."""
    async with limiter.slot(KEY_ID, server, method) as slot:
        await asyncio.sleep(latency / 2)
        status, answer = riot.hit(server, method)
        await asyncio.sleep(latency / 2)
        await slot.record(status, answer)
    return status


def unique_prefix() -> str:
    return f"pyot-test:{uuid.uuid4().hex[:12]}"


def _keys(url: str, prefix: str) -> Iterator[bytes]:
    client = redis.Redis.from_url(url)
    try:
        yield from client.scan_iter(match=f"{prefix}*")
    finally:
        client.close()


def drop_prefix(prefix: str, url: str = REDIS_DB_URL) -> list[bytes]:
    """Delete (and return) every key under ``prefix``."""
    keys = list(_keys(url, prefix))
    if keys:
        client = redis.Redis.from_url(url)
        client.delete(*keys)
        client.close()
    return keys


def fixed_window_peaks(arrivals: Sequence[float], seconds: float) -> list[int]:
    """Replay ``arrivals`` through Riot's fixed windows: the count each window reached."""
    peaks: list[int] = []
    end = -math.inf
    for at in sorted(arrivals):
        if at >= end:
            end = at + seconds
            peaks.append(0)
        peaks[-1] += 1
    return peaks


def fleet_worker(prefix: str, start_at: float, requests: int, app: str) -> list[float]:
    """One OS process of the fleet test: ``requests`` concurrent calls; returns send times."""
    return asyncio.run(_fleet(prefix, start_at, requests, app))


async def _fleet(prefix: str, start_at: float, requests: int, app: str) -> list[float]:
    from pyot_django.limiters.redis import RedisLimiter

    limiter = RedisLimiter(location=REDIS_DB_URL, key_prefix=prefix)
    sent: list[float] = []

    async def one() -> None:
        async with limiter.slot(KEY_ID, "na1", "match-v5.getMatch") as slot:
            sent.append(time.time())
            await asyncio.sleep(0.003)
            await slot.record(200, headers(app=app, app_count="1:1", method="1000:1"))

    await asyncio.sleep(max(0.0, start_at - time.time()))
    await asyncio.gather(*(one() for _ in range(requests)))
    await limiter.aclose()
    return sent
