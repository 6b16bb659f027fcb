"""Fleet counters: every process adds its numbers to Redis, per minute, for the last hour.

The hot path only adds to a dict in memory (under a lock: counts must be exact).
A daemon thread per process (started on the first event, again after a fork)
adds the deltas to Redis every ``FLEET_FLUSH_SECONDS`` with ``HINCRBY`` into one
hash per minute (``{prefix}:{epoch minute}``, kept :data:`KEEP_SECONDS`), and the
budget counts with ``ZADD … GT`` (the most Riot reported that minute); the process
flushes once more at exit. Fields:

``L|pipeline|store|outcome``      lookups answered
``T|pipeline|store|bucket``       lookups whose time fell in latency bucket ``bucket`` (:data:`LATENCY_BOUNDS_MS`)
``R|pipeline|status``             Riot answers
``Q|pipeline|type``               429s by ``X-Rate-Limit-Type``
``W|pipeline`` / ``N|pipeline``   microseconds waited in the limiter / requests that went through it
``E|pipeline|store``              cache store errors

and in ``{prefix}:{minute}:budget``: member ``pipeline|scope|server|operation|window|limit``.

The Redis is ``PYOT_OBSERVE["FLEET"]``: a URL, or ``"auto"``: the first DjangoCache
store whose alias is a django-redis cache, else the first RedisLimiter's ``LOCATION``.
Redis down: the deltas are kept (at most the last hour) and retried; one warning.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from .conf import ObserveConfig
from .events import Subscriber, limit_type_of
from .flusher import Periodic, _Process
from .metrics_headers import budget_windows

__all__ = ["KEEP_SECONDS", "LATENCY_BOUNDS_MS", "FleetCounters", "fleet_redis", "fleet_subscriber", "public_url"]

logger = logging.getLogger("pyot_django.observe")

KEEP_SECONDS = 3900  # an hour of minutes, plus slack for the minute being written
LATENCY_BOUNDS_MS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
_MAX_PENDING_MINUTES = 61


def _redis_location() -> tuple[str, Any] | None:
    """("alias"|"url", value) of the Redis the fleet shares, from the settings (no I/O)."""
    from django.conf import settings

    from ..conf import get_config

    config = get_config()
    stores = [
        store for pipeline in config.values() if isinstance(pipeline, dict) for store in pipeline.get("STORES", ())
    ]
    caches = getattr(settings, "CACHES", {})
    for store in stores:
        if isinstance(store, dict) and str(store.get("BACKEND", "")).endswith("DjangoCache"):
            alias = store.get("ALIAS", "default")
            if "django_redis" in str(caches.get(alias, {}).get("BACKEND", "")):
                return "alias", alias
    for store in stores:
        limiter = store.get("RATE_LIMITER") if isinstance(store, dict) else None
        if isinstance(limiter, dict) and str(limiter.get("BACKEND", "")).endswith("RedisLimiter"):
            location = limiter.get("LOCATION")
            if isinstance(location, str):
                return "url", location
    return None


def fleet_redis(config: ObserveConfig) -> tuple[Callable[[], Any], str] | None:
    """A factory of the fleet's (sync) Redis client and a password-free description; None: no shared store."""
    if config.fleet == "auto":
        found = _redis_location()
        if found is None:
            return None
        kind, value = found
    else:
        kind, value = "url", config.fleet
    if kind == "alias":

        def from_alias() -> Any:
            from ..stores.django_redis_api import get_redis_connection

            return get_redis_connection(value)

        return from_alias, f"CACHES[{value!r}]"

    def from_url() -> Any:
        import redis

        return redis.Redis.from_url(value, socket_connect_timeout=1, socket_timeout=2)

    return from_url, public_url(value)


def public_url(url: str) -> str:
    """``url`` without its password (it may be shown on a page or in a log line)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class FleetCounters(Subscriber):
    """This process's deltas since the last flush, and the thread that flushes them."""

    def __init__(self, connect: Callable[[], Any], where: str, prefix: str, flush_seconds: float) -> None:
        self.connect = connect
        self.where = where
        self.prefix = prefix
        self.flush_seconds = flush_seconds
        self._client: Any = None
        self._lock = threading.Lock()
        self._counts: dict[int, dict[str, int]] = {}
        self._budget: dict[int, dict[str, int]] = {}
        self._down = False
        self._flushing = threading.Lock()
        self._periodic = Periodic(self.flush, flush_seconds, "pyot-fleet-flush")

    # -- recording (hot path: memory only) ---------------------------------------------------

    def _forked(self) -> None:
        # The parent flushes what it counted; a lock held by one of its threads stays held here.
        self._lock, self._flushing = threading.Lock(), threading.Lock()
        self._counts, self._budget, self._client = {}, {}, None

    def add(self, *fields: str, amount: int = 1) -> None:
        if self._periodic.pid != _Process.generation:
            self._periodic.ensure(self._forked)
        minute = int(time.time()) // 60
        with self._lock:
            bucket = self._counts.get(minute)
            if bucket is None:
                bucket = self._counts[minute] = {}
            for field in fields:
                bucket[field] = bucket.get(field, 0) + amount

    def lookup_done(
        self,
        pipeline: str,
        operation: str,
        server: str,
        key: str,
        store_index: int | None,
        store: str,
        outcome: str,
        seconds: float,
        shared: bool,
    ) -> None:
        slot = bisect.bisect_left(LATENCY_BOUNDS_MS, seconds * 1000.0)
        self.add(f"L|{pipeline}|{store}|{outcome}", f"T|{pipeline}|{store}|{slot}")

    def riot_response(
        self, pipeline: str, operation: str, server: str, status: int, headers: Mapping[str, str], seconds: float
    ) -> None:
        if status == 429:
            self.add(f"R|{pipeline}|{status}", f"Q|{pipeline}|{limit_type_of(headers)}")
        else:
            self.add(f"R|{pipeline}|{status}")
        windows = budget_windows(headers)
        if not windows:
            return
        minute = int(time.time()) // 60
        with self._lock:
            bucket = self._budget.setdefault(minute, {})
            for scope, window, count, limit in windows:
                member = f"{pipeline}|{scope}|{server}|{operation if scope == 'method' else '*'}|{window}|{limit}"
                if count > bucket.get(member, -1):
                    bucket[member] = count

    def limiter_waited(self, pipeline: str, server: str, operation: str, seconds: float) -> None:
        self.add(f"N|{pipeline}")
        micros = int(seconds * 1_000_000)
        if micros > 0:
            self.add(f"W|{pipeline}", amount=micros)

    def cache_error(self, pipeline: str, store_index: int, store: str, action: str, exc: BaseException) -> None:
        self.add(f"E|{pipeline}|{store}")

    # -- flushing (background thread) ----------------------------------------------------------

    def flush(self) -> bool:
        """Add the pending deltas to Redis now; False (deltas kept) if Redis failed."""
        # One flush at a time: the final flush at exit must wait for the thread's, or the
        # process could end while the thread holds deltas it has taken but not yet sent.
        with self._flushing:
            return self._flush()

    def _flush(self) -> bool:
        with self._lock:
            counts, self._counts = self._counts, {}
            budget, self._budget = self._budget, {}
        if not counts and not budget:
            return True
        try:
            if self._client is None:
                self._client = self.connect()
            pipe = self._client.pipeline(transaction=True)  # all of a flush or none of it
            for minute, fields in counts.items():
                key = f"{self.prefix}:{minute}"
                for field, amount in fields.items():
                    pipe.hincrby(key, field, amount)
                pipe.expire(key, KEEP_SECONDS)
            for minute, members in budget.items():
                key = f"{self.prefix}:{minute}:budget"
                pipe.zadd(key, members, gt=True)
                pipe.expire(key, KEEP_SECONDS)
            pipe.execute()
        except Exception as exc:
            self._keep(counts, budget)
            if not self._down:
                self._down = True
                logger.warning(
                    "fleet counters cannot reach Redis at %s (%s: %s); keeping them in memory and retrying",
                    self.where,
                    type(exc).__name__,
                    exc,
                    extra={"fleet_redis": self.where, "error": type(exc).__name__},
                )
            return False
        if self._down:
            self._down = False
            logger.warning("fleet counters reach Redis at %s again", self.where, extra={"fleet_redis": self.where})
        return True

    def _keep(self, counts: dict[int, dict[str, int]], budget: dict[int, dict[str, int]]) -> None:
        oldest = int(time.time()) // 60 - _MAX_PENDING_MINUTES
        with self._lock:
            for minute, fields in counts.items():
                if minute > oldest:
                    bucket = self._counts.setdefault(minute, {})
                    for field, amount in fields.items():
                        bucket[field] = bucket.get(field, 0) + amount
            for minute, members in budget.items():
                if minute > oldest:
                    bucket = self._budget.setdefault(minute, {})
                    for member, count in members.items():
                        bucket[member] = max(count, bucket.get(member, -1))

    def close(self) -> None:
        self._periodic.stop()


def fleet_subscriber(config: ObserveConfig) -> FleetCounters | None:
    found = fleet_redis(config)
    if found is None:
        return None
    connect, where = found
    return FleetCounters(connect, where, config.key_prefix, config.flush_seconds)
