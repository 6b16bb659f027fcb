"""Issue 9's fault matrix: every hostile upstream through a real pipeline, over real HTTP.

Memory -> DjangoCache (LocMem) -> DjangoCache (django-redis) -> DjangoORM -> RiotAPI, against
the emulator (or ``tests.hostile_server`` where ASGI cannot misbehave enough). For each fault:
bounded wall time, the typed exception, nothing cached in any store, and another operation on
the same server completing during or after the bad one.

``pytest -s tests/test_fault_matrix.py`` prints the measured table; it is also written to
``test-output/fault_matrix.md`` (bench/RESULTS.md carries a copy).
"""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.test import override_settings

from pyot_django.exceptions import (
    InvalidResponse,
    NotFound,
    PyotError,
    RateLimited,
    ResponseTooLarge,
    ServerError,
    Timeout,
)
from pyot_django.pipeline import Pipeline, PipelineToken
from pyot_django.testing import RunningEmulator
from tests.helpers import (
    API_KEY,
    CACHE_STORES,
    lenient_riot_emulator_config,  # noqa: F401  lenient: about hostile upstreams; its ids ("bad-row0") are not what it tests
    make_pipeline,
    riot_store,
)
from tests.hostile_server import HostileServer, closed_port

pytestmark = pytest.mark.django_db(transaction=True)

SERVER = "na1"
BAD_OP = "summoner-v4.getByPUUID"
OTHER_OP = "champion-mastery-v4.getAllChampionMasteriesByPUUID"
MAX_RETRY_AFTER = 1.0  # small, so rows stay quick; the default (60 s) is the client's unit tests
SOCKET_TIMEOUT = 2  # tests/settings.py: the django-redis aliases
# Few, fast retries: a row measures a bound, not a patience.
STORE_OPTIONS: dict[str, Any] = {
    "TIMEOUT": 2,
    "MAX_RETRY_AFTER": MAX_RETRY_AFTER,
    "RATE_LIMITER": {"BACKEND": "pyot_django.limiters.MemoryLimiter"},
    "ERROR_HANDLING": {
        429: ("E", [0.05, 2]),
        500: ("R", [1]),
        502: ("E", [0.05, 1]),
        503: ("E", [0.05, 2]),
        504: ("E", [0.05, 1]),
    },
}
CACHE_LABELS = ("Memory", "LocMem", "Redis", "ORM")
IGNORING_REDIS = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": f"{settings.REDIS_URL}/1",
    "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": SOCKET_TIMEOUT, "SOCKET_TIMEOUT": SOCKET_TIMEOUT, "IGNORE_EXCEPTIONS": True},
}


def hostile(status: int | None = None, fault: str | None = None, **extra: Any) -> list[dict[str, Any]]:
    """Script entries for every attempt of the bad lookup (a retry meets the same upstream)."""
    entry: dict[str, Any] = {**extra, "times": 20}
    if status is not None:
        entry["status"] = status
    if fault is not None:
        entry["fault"] = fault
    return [entry]


@dataclass(frozen=True)
class Row:
    fault: str
    expect: type[BaseException] | None  # None: the lookup must return data
    bound: float  # seconds of wall time the bad lookup may take
    script: list[dict[str, Any]] = field(default_factory=list)
    upstream: str = "emulator"  # or "hostile:<behaviour>", "refused"
    deadline: float | None = None
    retry_after: bool = False  # the exception must say when to retry (at most the cap)
    redis: str | None = None  # "plain" | "ignore": freeze Redis under that DjangoCache alias
    limit_first: bool = False  # fill the method's window first (the deadline row)


ROWS = [
    Row("429 application, Retry-After: 1e9", RateLimited, 10, hostile(429, type="application", retry_after="1e9"),
        retry_after=True),
    # Non-finite, garbage and negative values count as absent (the limiter's own pause applies).
    Row("429 application, Retry-After: inf", RateLimited, 10, hostile(429, type="application", retry_after="inf")),
    Row("429 application, Retry-After: abc", RateLimited, 10, hostile(429, type="application", retry_after="abc")),
    Row("429 application, Retry-After: -5", RateLimited, 10, hostile(429, type="application", retry_after="-5")),
    Row("429 service, no Retry-After", RateLimited, 10, hostile(429, retry_after=None)),
    Row("503, Retry-After: 30", ServerError, 10, hostile(503, retry_after="30"), retry_after=True),
    # Riot sends delta-seconds only: an HTTP-date counts as absent too (riot/http/retry_after.py).
    Row("503, Retry-After: HTTP-date in 2065", ServerError, 10,
        hostile(503, retry_after="Wed, 21 Oct 2065 07:28:00 GMT")),
    Row("slow-drip headers, 1 B / 1.5 s, TIMEOUT 2", Timeout, 12, hostile(fault="drip_headers", interval=1.5)),
    Row("slow-drip body, 1 B / 1.5 s, TIMEOUT 2", Timeout, 12, hostile(fault="drip_body", interval=1.5)),
    Row("status line dripped, 1 B / 1.5 s (raw server)", Timeout, 12, upstream="hostile:drip"),
    Row("no answer at all (raw server), TIMEOUT 2", Timeout, 12, upstream="hostile:silent"),
    Row("300 MB chunked body", ResponseTooLarge, 15, hostile(fault="oversized", size=300_000_000)),
    Row("300 MB, honest Content-Length", ResponseTooLarge, 15,
        hostile(fault="oversized", size=300_000_000, content_length=True)),
    Row("300 MB, Content-Length: 1000 (a lie)", InvalidResponse, 15,
        hostile(fault="oversized", size=300_000_000, content_length=1000)),
    Row("200 null", InvalidResponse, 5, hostile(fault="null")),
    Row("200 empty body", InvalidResponse, 5, hostile(fault="empty")),
    Row("200 array where an object is due", InvalidResponse, 5, hostile(fault="wrong_type")),
    Row("200 truncated JSON", InvalidResponse, 5, hostile(fault="malformed")),
    Row("connection reset after the headers", ServerError, 5, hostile(fault="reset")),
    Row("connection reset mid-body", ServerError, 5, hostile(fault="reset_body")),
    Row("RST on accept (raw server)", ServerError, 5, upstream="hostile:rst"),
    Row("closed before the status line (raw server)", ServerError, 5, upstream="hostile:close"),
    Row("not HTTP at all (raw server)", ServerError, 5, upstream="hostile:garbage"),
    Row("connection refused", ServerError, 5, upstream="refused"),
    Row("deadline 1 s < limiter wait (~10 s)", RateLimited, 1.0, deadline=1.0, retry_after=True, limit_first=True),
    Row("Redis frozen under DjangoCache", None, SOCKET_TIMEOUT * 2 + 2, redis="plain"),
    Row("Redis frozen under DjangoCache, IGNORE_EXCEPTIONS", None, SOCKET_TIMEOUT * 2 + 2, redis="ignore"),
]  # fmt: skip

RESULTS: dict[str, dict[str, str]] = {}
OUTPUT = Path(__file__).resolve().parent.parent / "test-output" / "fault_matrix.md"


@pytest.fixture(scope="module", autouse=True)
def _matrix_table() -> Iterator[None]:
    yield
    lines = [
        "| fault | wall time | exception | cached? | other operation | peak RSS | result |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in ROWS:
        result = RESULTS.get(row.fault)
        if result is None:
            continue
        cells = [row.fault, *(result[name] for name in ("wall", "exception", "cached", "other", "rss", "verdict"))]
        lines.append("| " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(table + "\n")
    print("\n\nFault matrix (tests/test_fault_matrix.py)\n" + table)


def _pipeline(base_url: str, cache_alias: str = "redis") -> Pipeline:
    redis_store = {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": cache_alias}
    stores = (CACHE_STORES["memory"], CACHE_STORES["locmem"], redis_store, CACHE_STORES["orm"])
    return make_pipeline(*stores, riot_store(base_url, **STORE_OPTIONS))


def _token(op: str, value: str) -> PipelineToken:
    return PipelineToken("lol", SERVER, op, {"encryptedPUUID": value}, {})


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "— (data)"
    text = type(exc).__name__
    details = [str(getattr(exc, "status", "") or "")]
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        details.append(f"retry_after={retry_after:.3g}")
    cause = getattr(exc, "cause", None)
    if cause:
        details.append(f"cause={cause}")
    details = [d for d in details if d]
    return f"{text} ({', '.join(details)})" if details else text


async def _cached_in(pipeline: Pipeline, token: PipelineToken) -> list[str]:
    """The labels of the cache stores that hold ``token`` (asked directly, not through the pipeline)."""
    held = []
    for label, store in zip(CACHE_LABELS, pipeline.stores[:-1], strict=True):
        try:
            await store.get(token)
        except (NotFound, PyotError):
            continue
        held.append(label)
    return held


def _freeze_redis(seconds: float) -> None:
    # CLIENT PAUSE: Redis keeps accepting connections and answers nothing: a frozen server.
    client = redis.Redis.from_url(f"{settings.REDIS_URL}/1", socket_timeout=5)
    try:
        client.execute_command("CLIENT", "PAUSE", int(seconds * 1000), "ALL")
    finally:
        client.close()


def _wait_for_redis(limit: float = 15) -> None:
    client = redis.Redis.from_url(f"{settings.REDIS_URL}/1", socket_timeout=limit)
    try:
        client.ping()
    finally:
        client.close()


async def _timed(call: Callable[[], Awaitable[Any]], limit: float) -> tuple[float, Any, BaseException | None]:
    """(seconds, value, exception) of ``call``; a hang past ``limit`` is a ``TimeoutError``."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(limit):
            value = await call()
        return time.monotonic() - started, value, None
    except Exception as exc:  # the row records whatever it was
        return time.monotonic() - started, None, exc


@pytest.mark.parametrize("row", ROWS, ids=[row.fault for row in ROWS])
async def test_fault(row: Row, riot_emulator: RunningEmulator, redis_cache) -> None:
    emulator = riot_emulator.emulator
    emulator.configure(enforce_limits=False, timeout_cap=20)  # a failing row fails in bounded time
    tag = f"row{ROWS.index(row)}"
    with (
        _upstream(row, riot_emulator) as upstream,
        override_settings(CACHES={**settings.CACHES, "ignoring": IGNORING_REDIS}),
    ):
        bad = _pipeline(upstream.base_url, "ignoring" if row.redis == "ignore" else "redis")
        good = bad if row.upstream == "emulator" else _pipeline(riot_emulator.base_url)
        try:
            await _run_row(row, tag, emulator, bad, good)
            # The bad lookup really met its fault (not some earlier refusal).
            if row.script:
                assert emulator.stats()["scripts_pending"].get(BAD_OP, 0) < row.script[0]["times"]
            if upstream.server is not None:
                assert upstream.server.connections >= 1
        finally:
            await bad.clear()
            await bad.aclose()
            if good is not bad:
                await good.aclose()


async def _run_row(row: Row, tag: str, emulator: Any, bad: Pipeline, good: Pipeline) -> None:
    token = _token(BAD_OP, f"bad-{tag}")
    if row.limit_first:
        emulator.configure(enforce_limits=True, method_limits_by_operation={BAD_OP: "2:10"})
        for index in range(2):  # the limiter learns the window from these answers and has none left
            await bad.get(_token(BAD_OP, f"fill-{tag}-{index}"))
    if row.script:
        emulator.script(BAD_OP, row.script)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if row.redis:
        _freeze_redis(row.bound + 3)

    hard_limit = row.bound * 3 + 10
    bad_task = asyncio.create_task(_timed(lambda: bad.get(token, deadline=row.deadline), hard_limit))
    await asyncio.sleep(0.3)
    other_wall, other_value, other_error = await _timed(lambda: good.get(_token(OTHER_OP, f"other-{tag}")), 30)
    during = not bad_task.done()
    wall, value, error = await bad_task
    after_wall, after_value, after_error = await _timed(lambda: good.get(_token(OTHER_OP, f"after-{tag}")), 30)
    rss_grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    if row.redis:
        _wait_for_redis()
    cached = await _cached_in(bad, token)

    other_ok = other_error is None and other_value is not None and after_error is None and after_value is not None
    problems = []
    if wall > row.bound:
        problems.append(f"took {wall:.2f} s > {row.bound:g} s")
    if row.expect is None:
        if error is not None or value is None:
            problems.append(f"expected data, got {error!r}")
    else:
        if not isinstance(error, row.expect):
            problems.append(f"expected {row.expect.__name__}, got {type(error).__name__}: {error}")
        if cached:
            problems.append(f"cached in {', '.join(cached)}")
        if row.retry_after and not (error is not None and 0 < (getattr(error, "retry_after", None) or 0)):
            problems.append("no retry_after")
        if row.retry_after and not row.deadline and (getattr(error, "retry_after", None) or 0) > MAX_RETRY_AFTER:
            problems.append(f"retry_after {error.retry_after} over the cap {MAX_RETRY_AFTER:g}")  # type: ignore[union-attr]
        if error is not None and (API_KEY in str(error) or API_KEY in repr(error)):
            problems.append("the API key is in the exception")
    if not other_ok:
        problems.append(f"the other operation failed: {other_error or after_error!r}")
    if rss_grown > 150:
        problems.append(f"peak RSS grew {rss_grown:.0f} MB")

    RESULTS[row.fault] = {
        "wall": f"{wall:.2f} s" if not isinstance(error, TimeoutError) else f"HANG > {hard_limit:g} s",
        "exception": _describe(error),
        "cached": ", ".join(cached) if cached else "no",
        "other": f"{'during' if during else 'after'} {other_wall:.2f} s, then {after_wall:.2f} s"
        if other_ok
        else "FAILED",
        "rss": f"+{rss_grown:.0f} MB",
        "verdict": "pass" if not problems else "FAIL: " + "; ".join(problems),
    }
    assert not problems, "; ".join(problems)


class _upstream:
    """The BASE_URL a row's bad lookup goes to (the emulator, a raw hostile server, a closed port)."""

    def __init__(self, row: Row, running: RunningEmulator) -> None:
        self.row = row
        self.running = running
        self.server: HostileServer | None = None
        self.base_url = ""

    def __enter__(self) -> _upstream:
        upstream = self.row.upstream
        if upstream == "emulator":
            self.base_url = self.running.base_url
        elif upstream == "refused":
            self.base_url = f"http://127.0.0.1:{closed_port()}/{{server}}"
        else:
            self.server = HostileServer(upstream.removeprefix("hostile:"), interval=1.5, cap=20).start()
            self.base_url = self.server.base_url
        return self

    def __exit__(self, *exc: object) -> None:
        if self.server is not None:
            self.server.stop()
