"""Live probes: what a fresh process (a command) can know about each store, in bounded time.

A command cannot see the counters of the web processes, so instead each store is asked
now: can it be reached (with the error if not, and how long it took), and how many
entries of *this pipeline* does it hold, where the backend can tell:

- ``Memory``: it lives in each process; a command sees only its own, empty copy.
- ``DjangoCache``: django-redis and Django's Redis backend ``SCAN`` the store's own keys
  (``pyot:<pipeline>@<key identity>:…``: this pipeline and API key only), stopping at
  ``COUNT_CAP``; the database cache counts in SQL; LocMem counts this process's copy;
  memcached and the file cache cannot list keys (:func:`~pyot_django.stores.cache_clearing.count_prefix`).
- ``DjangoORM``: a ``COUNT`` of the pipeline's rows of this API key.
- ``RiotAPI`` (service stores): a TCP connection to the API host and, for a
  ``RedisLimiter``, a ``PING`` — no request is sent, so no rate limit is spent.

Every probe runs in its own thread and is given up after ``timeout`` seconds.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .selection import resolve_pipelines

__all__ = ["COUNT_CAP", "DEFAULT_TIMEOUT", "PipelineProbe", "StoreProbe", "probe_pipelines"]

COUNT_CAP = 100_000
"""Keys a SCAN counts at most; beyond it the count is reported as "at least"."""
DEFAULT_TIMEOUT = 3.0
"""Seconds each store's probe may take before it is reported unreachable."""


@dataclass(frozen=True)
class StoreProbe:
    index: int
    name: str
    kind: str
    reachable: bool
    error: str | None
    milliseconds: float
    entries: int | None  # None: not countable here (see ``entries_note``)
    entries_capped: bool  # the count stopped at COUNT_CAP: there are at least ``entries``
    entries_note: str  # how the count was made, or why there is none

    def entries_text(self) -> str:
        if self.entries is None:
            return self.entries_note
        count = f"≥{self.entries}" if self.entries_capped else str(self.entries)
        return f"{count} ({self.entries_note})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "kind": self.kind,
            "reachable": self.reachable,
            "error": self.error,
            "milliseconds": round(self.milliseconds, 1),
            "entries": self.entries,
            "entries_capped": self.entries_capped,
            "entries_note": self.entries_note,
        }


@dataclass(frozen=True)
class PipelineProbe:
    name: str
    stores: tuple[StoreProbe, ...]

    @property
    def ok(self) -> bool:
        return all(store.reachable for store in self.stores)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "stores": [store.as_dict() for store in self.stores]}


# -- per backend ---------------------------------------------------------------------------------

_Count = tuple[int | None, bool, str]
_HOW = {"SCAN": "SCAN of this pipeline's keys", "SQL count": "SQL count of this pipeline's keys",
        "LocMem": "this process's LocMem only"}  # fmt: skip


def _probe_django_cache(store: Any) -> _Count:
    from ..stores.cache_clearing import count_prefix

    cache = store.cache
    counted = count_prefix(cache, store.key_prefix, COUNT_CAP)  # this pipeline and API key only
    if counted is not None:
        count, capped, how = counted
        return count, capped, _HOW[how]
    cache.get(f"{store.key_prefix}probe")  # reachable at all?
    return None, False, f"{type(cache).__name__} cannot list its keys"


def _probe_orm(store: Any) -> _Count:
    return store.count_sync(), False, "rows of this pipeline"


def _probe_memory(store: Any) -> _Count:
    return None, False, "in-process only: each web process has its own"


def _tcp(url: str, timeout: float) -> None:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    with socket.create_connection((parts.hostname or "", port), timeout=timeout):
        pass


def _probe_service(store: Any, timeout: float) -> _Count:
    base_url = getattr(store, "base_url", None)
    if isinstance(base_url, str) and "{server}" in base_url:
        _tcp(base_url.format(server="americas"), timeout)  # every game has a regional host
    limiter = getattr(store, "limiter", None)
    location = getattr(limiter, "location", None)
    if type(limiter).__name__ == "RedisLimiter" and isinstance(location, str):
        import redis

        client = redis.Redis.from_url(location, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
        except redis.RedisError as exc:
            raise ConnectionError(f"RedisLimiter: {exc}") from exc
        finally:
            client.close()
    return None, False, "a service: holds nothing"


def _probe(store: Any, timeout: float) -> _Count:
    from ..stores import DjangoCache, DjangoORM, Memory
    from ..stores.base import ServiceStore

    if isinstance(store, Memory):
        return _probe_memory(store)
    if isinstance(store, DjangoCache):
        return _probe_django_cache(store)
    if isinstance(store, DjangoORM):
        return _probe_orm(store)
    if isinstance(store, ServiceStore):
        return _probe_service(store, timeout)
    count = getattr(store, "count_sync", None)
    return (count(), False, "the store's own count") if callable(count) else (None, False, "not countable")


def _run_probe(store: Any, timeout: float) -> tuple[_Count | None, str | None, float]:
    from django.db import close_old_connections

    started = time.perf_counter()
    try:
        return _probe(store, timeout), None, (time.perf_counter() - started) * 1000
    except Exception as exc:  # an unreachable store is the answer, not a crash
        return None, f"{type(exc).__name__}: {exc}", (time.perf_counter() - started) * 1000
    finally:
        close_old_connections()  # this thread's database connections end with it


def _start(store: Any, timeout: float) -> tuple[threading.Thread, list[Any]]:
    # A daemon thread, not an executor's: a probe stuck in a connect without a timeout
    # must not keep the command (or the interpreter's exit) waiting.
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(_run_probe(store, timeout)), daemon=True, name="pyot-probe")
    thread.start()
    return thread, box


def probe_pipelines(
    names: Iterable[str] | str | None = None, *, timeout: float = DEFAULT_TIMEOUT
) -> list[PipelineProbe]:
    """Probe every store of the named pipelines (None: all), all at once, each within ``timeout``."""
    selected = resolve_pipelines(names)
    running = {
        (pipeline.model, index): (store, *_start(store, timeout))
        for pipeline in selected
        for index, store in enumerate(pipeline.stores)
    }
    deadline = time.monotonic() + timeout
    probes: list[PipelineProbe] = []
    for pipeline in selected:
        stores = []
        for index in range(len(pipeline.stores)):
            store, thread, box = running[(pipeline.model, index)]
            thread.join(max(0.0, deadline - time.monotonic()))
            if box:
                outcome, error, ms = box[0]
            else:
                outcome, error, ms = None, f"no answer within {timeout:g} s", timeout * 1000
            entries, capped, note = outcome if outcome else (None, False, "unknown: unreachable")
            probe = StoreProbe(
                index=index, name=store.name, kind=store.kind, reachable=error is None, error=error,
                milliseconds=ms, entries=entries, entries_capped=capped, entries_note=note,
            )  # fmt: skip
            stores.append(probe)
        probes.append(PipelineProbe(pipeline.model, tuple(stores)))
    return probes
