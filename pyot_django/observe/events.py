"""The observation hooks: what the pipeline, the RiotAPI store and the limiter report.

The core calls these at one line each (see the ``observe: hook`` comments there):

- :func:`observed_lookup` decorates ``Pipeline.get`` / ``Pipeline.get_sync``: one
  ``lookup_done`` event per lookup (which store answered, outcome, time, shared);
- :func:`riot_answer` after each answer Riot sends (from :class:`~pyot_django.riot.http.HttpClient`,
  so every service store using the client reports, labelled by its ``label`` and operation);
- :func:`limiter_waited` once the rate limiter's slot is taken: how long the request waited;
- :func:`cache_error` when a cache store fails (it then counts as a miss).

Subscribers (:mod:`.metrics`, :mod:`.fleet`, :mod:`.logs`) are chosen from
``settings.PYOT_OBSERVE`` on the first event and again after the setting changes.
With none enabled a lookup pays one attribute read; a subscriber that raises is
logged once and never fails the lookup.
"""

from __future__ import annotations

import functools
import inspect
import logging
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar, cast

from django.core.signals import setting_changed

from ..exceptions import NotFound
from ..pipeline.trace import LookupRecord, TraceSink, current_trace

__all__ = [
    "Subscriber",
    "cache_error",
    "configure",
    "limit_type_of",
    "limiter_waited",
    "log_fields",
    "observed_lookup",
    "riot_answer",
    "riot_response",
    "subscribers",
]

logger = logging.getLogger("pyot_django.observe")

P = ParamSpec("P")
R = TypeVar("R")

OUTCOMES = ("hit", "fetched", "shared", "not_found", "error")


class Subscriber:
    """Base class: override the events you want; each receives plain values, never the API key."""

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
        """A lookup finished; ``store`` answered it (``"none"`` when nobody did)."""

    def riot_response(
        self, pipeline: str, operation: str, server: str, status: int, headers: Mapping[str, str], seconds: float
    ) -> None:
        """Riot (or the emulator) answered ``status`` after ``seconds``."""

    def limiter_waited(self, pipeline: str, server: str, operation: str, seconds: float) -> None:
        """A request waited ``seconds`` for the rate limiter to let it go."""

    def cache_error(self, pipeline: str, store_index: int, store: str, action: str, exc: BaseException) -> None:
        """A cache store failed on ``action`` ("get" or "sink")."""

    def close(self) -> None:
        """The setting changed: flush and let go of resources."""


class _State:
    __slots__ = ("errors", "handlers", "lock", "on", "subscribers")

    def __init__(self) -> None:
        self.on: bool | None = None  # None: not configured yet
        self.subscribers: tuple[Subscriber, ...] = ()
        # event name -> the bound methods of the subscribers that override it
        self.handlers: dict[str, tuple[Callable[..., None], ...]] = {}
        self.lock = threading.Lock()
        self.errors: set[str] = set()


_state = _State()


def configure() -> bool:
    """(Re)build the subscribers from ``settings.PYOT_OBSERVE``; True if any is enabled."""
    from .conf import read_config

    with _state.lock:
        if _state.on is not None:
            return _state.on
        config = read_config()
        chosen: list[Subscriber] = []
        if config.metrics:
            from .metrics import PrometheusSubscriber

            chosen.append(PrometheusSubscriber())
        if config.fleet is not False:
            from .fleet import fleet_subscriber

            fleet = fleet_subscriber(config)
            if fleet is not None:
                chosen.append(fleet)
        if config.log_lookups:
            from .logs import LookupLogger

            chosen.append(LookupLogger())
        _state.subscribers = tuple(chosen)
        _state.handlers = {
            event: tuple(getattr(s, event) for s in chosen if getattr(type(s), event) is not getattr(Subscriber, event))
            for event in _EVENTS
        }
        _state.on = bool(chosen)
        return _state.on


def subscribers() -> tuple[Subscriber, ...]:
    """The active subscribers (configuring them first if needed)."""
    if _state.on is None:
        configure()
    return _state.subscribers


def reset() -> None:
    """Forget the subscribers (closing them); the next event configures again."""
    with _state.lock:
        old, _state.subscribers, _state.on = _state.subscribers, (), None
        _state.handlers = {}
        _labels.clear()  # pipelines are rebuilt after a settings change
    for subscriber in old:
        try:
            subscriber.close()
        except Exception:  # closing must not break a settings change
            logger.exception("observability subscriber %r failed to close", subscriber)


def _settings_changed(*, setting: str, **_: object) -> None:
    if setting in ("PYOT_OBSERVE", "PYOT", "CACHES"):
        reset()


setting_changed.connect(_settings_changed, dispatch_uid="pyot_django.observe")


def _enabled() -> bool:
    on = _state.on
    return configure() if on is None else on


_EVENTS = ("lookup_done", "riot_response", "limiter_waited", "cache_error")


def _each(method: str, *args: Any) -> None:
    for handler in _state.handlers.get(method, ()):
        try:
            handler(*args)
        except Exception:
            _failed(handler, method)


def _failed(handler: Any, method: str) -> None:
    name = getattr(handler, "__qualname__", method)
    if name not in _state.errors:  # once: a broken subscriber must not flood the log
        _state.errors.add(name)
        logger.exception("observability subscriber %s failed; the lookup is unaffected", name)


# -- lookups -------------------------------------------------------------------------------


class _Recorder:
    """Stands in as the current trace during one observed lookup and keeps what it learns.

    The pipeline reports each lookup to ``current_trace`` (see :mod:`..pipeline.trace`):
    an answer as ``answered(...)``, a failure as a ``LookupRecord``. The recorder keeps
    only the store index, ``shared`` and the time (building a record would cost about as
    much as a Memory hit) and passes the report on to a trace the caller opened, if any.
    """

    __slots__ = ("index", "parent", "reported", "seconds", "shared")

    def __init__(self, parent: TraceSink | None) -> None:
        self.parent = parent
        self.reported = False
        self.index: int | None = None
        self.shared = False
        self.seconds = 0.0

    def answered(self, pipeline: Any, token: Any, index: int | None, started: float, shared: bool = False) -> None:
        self.seconds = time.perf_counter() - started
        self.index, self.shared, self.reported = index, shared, True
        if self.parent is not None:
            self.parent.answered(pipeline, token, index, started, shared)

    def add(self, record: LookupRecord) -> None:
        self.index, self.shared, self.seconds, self.reported = record.store_index, record.shared, record.seconds, True
        if self.parent is not None:
            self.parent.add(record)


# pipeline -> {store index: (store name, outcome)}. Weak: a pipeline built and dropped (a test's,
# or one a project builds per request) must not be kept alive, with its stores, by its labels.
_labels: weakref.WeakKeyDictionary[Any, dict[int, tuple[str, str]]] = weakref.WeakKeyDictionary()


def _store_labels(pipeline: Any, index: int) -> tuple[str, str]:
    per_store = _labels.get(pipeline)
    if per_store is None:
        per_store = _labels[pipeline] = {}
    labels = per_store.get(index)
    if labels is None:
        store = pipeline.stores[index]
        labels = per_store[index] = (store.name, "hit" if store.kind == "cache" else "fetched")
    return labels


def _lookup_done(pipeline: Any, token: Any, seen: _Recorder, exc: BaseException | None) -> None:
    # Not reported: failed before the pipeline walked its stores (e.g. a bad token).
    index, shared, seconds = seen.index, seen.shared, seen.seconds
    if exc is None and index is not None and not shared:
        store, outcome = _store_labels(pipeline, index)  # the hot path: a hit or a fetch
    elif exc is not None:
        store, outcome = "none", "not_found" if isinstance(exc, NotFound) else "error"
    elif shared:
        store, outcome = "in-flight", "shared"
    else:
        store, outcome = "none", "fetched"
    args = (pipeline.model, token.method, token.server, token.stringify, index, store, outcome, seconds, shared)
    for handler in _state.handlers.get("lookup_done", ()):
        try:
            handler(*args)
        except Exception:
            _failed(handler, "lookup_done")


def _begin() -> tuple[_Recorder, Any] | None:
    """Stand a recorder in as the current trace; None when an outer call already observes."""
    outer = current_trace.get()
    if type(outer) is _Recorder:  # get_sync's miss runs get: one lookup, one event
        return None
    recorder = _Recorder(outer)
    return recorder, current_trace.set(recorder)


def _end(pipeline: Any, token: Any, begun: tuple[_Recorder, Any], exc: BaseException | None) -> None:
    current_trace.reset(begun[1])
    _lookup_done(pipeline, token, begun[0], exc)


def observed_lookup(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate ``Pipeline.get`` / ``get_sync`` so every lookup reports one ``lookup_done``.

    The wrapper takes the same arguments (``deadline=`` included) and passes them on
    unchanged; ``functools.wraps`` and the ``ParamSpec`` keep the signature for
    ``inspect`` and type checkers.
    """
    if inspect.iscoroutinefunction(func):
        lookup: Any = func

        @functools.wraps(func)
        async def get(self: Any, token: Any, sid: str | None = None, *, deadline: float | None = None) -> Any:
            if not (_state.on or (_state.on is None and _enabled())) or (begun := _begin()) is None:
                return await lookup(self, token, sid, deadline=deadline)
            try:
                value = await lookup(self, token, sid, deadline=deadline)
            except Exception as exc:
                _end(self, token, begun, exc)
                raise
            _end(self, token, begun, None)
            return value

        return cast("Callable[P, R]", get)  # the wrapper passes every argument on unchanged

    lookup_sync: Any = func

    @functools.wraps(func)
    def get_sync(self: Any, token: Any, sid: str | None = None, *, deadline: float | None = None) -> Any:
        if not (_state.on or (_state.on is None and _enabled())) or (begun := _begin()) is None:
            return lookup_sync(self, token, sid, deadline=deadline)
        try:
            value = lookup_sync(self, token, sid, deadline=deadline)
        except Exception as exc:
            _end(self, token, begun, exc)
            raise
        _end(self, token, begun, None)
        return value

    return cast("Callable[P, R]", get_sync)


# -- Riot, limiter, cache errors -------------------------------------------------------------

_LIMIT_TYPES = frozenset({"application", "method", "service"})


def limit_type_of(headers: Mapping[str, str]) -> str:
    """A 429's ``X-Rate-Limit-Type`` as a bounded label: a known type, ``other`` or ``none``."""
    value = headers.get("x-rate-limit-type")
    if value is None:
        return "none"
    value = value.strip().lower()
    return value if value in _LIMIT_TYPES else "other"


def riot_response(
    pipeline: str, operation: str, server: str, status: int, headers: Mapping[str, str], seconds: float
) -> None:
    """Riot answered a request (``headers``: the response's, case-insensitive)."""
    if _state.on or (_state.on is None and _enabled()):
        _each("riot_response", pipeline, operation, server, status, headers, seconds)


def riot_answer(pipeline: str, operation: str, server: str, answer: Any, started: float) -> None:
    """:func:`riot_response` for an :class:`~pyot_django.riot.http.HttpClient` answer (status, headers).

    Called for every attempt's answer, 429s and 5xx included; ``started`` is when the attempt began.
    """
    if _state.on or (_state.on is None and _enabled()):
        seconds = time.perf_counter() - started
        _each("riot_response", pipeline, operation, server, answer.status, answer.headers, seconds)


def limiter_waited(pipeline: str, server: str, operation: str, started: float) -> None:
    """A request got its rate-limiter slot; it had asked for it at ``started``."""
    if _state.on or (_state.on is None and _enabled()):
        _each("limiter_waited", pipeline, server, operation, time.perf_counter() - started)


def log_fields(pipeline: str, operation: str, server: str, **more: Any) -> dict[str, Any]:
    """The ``extra`` of a client warning: the same field names as the lookup log lines."""
    return {"pipeline": pipeline, "operation": operation, "server": server, **more}


def cache_error(label: str, action: str, exc: BaseException) -> None:
    """A cache store failed; ``label`` is its ``StoreHealth`` label (names pipeline and store)."""
    if not (_state.on or (_state.on is None and _enabled())):
        return
    pipeline, index, store = _parse_label(label)
    _each("cache_error", pipeline, index, store, action, exc)


@functools.lru_cache(maxsize=256)
def _parse_label(label: str) -> tuple[str, int, str]:
    # StoreHealth labels read "pyot pipeline 'lol' store 1 (DjangoCache)" (pipeline/core.py).
    import re

    match = re.fullmatch(r"pyot pipeline '([^']*)' store (\d+) \((.*)\)", label)
    if match is None:
        return "?", -1, label
    return match[1], int(match[2]), match[3]
