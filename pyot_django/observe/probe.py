"""Can every store and every limiter be reached? Bounded by a timeout, no Riot budget spent.

A cache store is asked whether it holds a probe token (a read, like a lookup's); a
RedisLimiter's Redis gets a ``PING`` on a connection of its own. The RiotAPI store
itself is not called: a probe request would count against the key's rate limits,
and Riot being down is what the store's error handling is for.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

__all__ = ["ProbeResult", "probe_pipelines"]

PROBE_METHOD = "pyot-health-probe"


@dataclass(frozen=True)
class ProbeResult:
    pipeline: str
    index: int
    part: str  # "Memory", "DjangoCache", …, or "RiotAPI limiter (RedisLimiter)"
    ok: bool
    seconds: float
    error: str | None = None

    def __str__(self) -> str:
        state = "ok" if self.ok else f"unreachable ({self.error})"
        return f"{self.pipeline}[{self.index}] {self.part}: {state}"


async def _ping_redis_limiter(limiter: Any, within: float) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(limiter.location, socket_connect_timeout=within, socket_timeout=within)
    try:
        await client.ping()
    finally:
        await client.aclose()


async def _probe(pipeline: Any, index: int, part: str, check: Any, within: float) -> ProbeResult:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check, within)
    except TimeoutError:
        error = f"no answer in {within:g} s"
        return ProbeResult(pipeline.model, index, part, False, time.perf_counter() - started, error)
    except Exception as exc:
        error = f"{type(exc).__name__}: {str(exc)[:200]}"
        return ProbeResult(pipeline.model, index, part, False, time.perf_counter() - started, error)
    return ProbeResult(pipeline.model, index, part, True, time.perf_counter() - started)


def _checks(pipeline: Any, within: float) -> list[tuple[int, str, Any]]:
    from ..pipeline import PipelineToken

    token = PipelineToken(pipeline.model, "na1", PROBE_METHOD, {}, {})
    checks = []
    for index, store in enumerate(pipeline.stores):
        if store.kind == "cache":
            checks.append((index, store.name, store.contains(token)))
        limiter = getattr(store, "limiter", None)
        if limiter is not None and hasattr(limiter, "location"):
            part = f"{store.name} limiter ({type(limiter).__name__})"
            checks.append((index, part, _ping_redis_limiter(limiter, within)))
    return checks


async def probe_pipelines(names: list[str] | None = None, within: float = 3.0) -> list[ProbeResult]:
    """Probe every cache store and Redis limiter of the pipelines (all when ``names`` is None), at once."""
    from ..pipeline import pipelines

    chosen = [pipelines[name] for name in names] if names else list(pipelines.values())
    probes = [
        _probe(pipeline, index, part, check, within)
        for pipeline in chosen
        for index, part, check in _checks(pipeline, within)
    ]
    return list(await asyncio.gather(*probes))
