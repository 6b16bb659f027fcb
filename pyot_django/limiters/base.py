"""The limiter contract the RiotAPI store relies on, and building one from settings.

::

    limiter = build_limiter({"BACKEND": "pyot_django.limiters.RedisLimiter",
                             "LOCATION": "redis://127.0.0.1:6379/2"},
                            setting_path='PYOT["lol"]["STORES"][3]["RATE_LIMITER"]')
    async with limiter.slot(key_id, server, method) as slot:
        response = await client.get(...)          # exactly one request per slot
        await slot.record(response.status_code, response.headers)

Leaving the block without :meth:`Slot.record` (a connection error, a timeout, a
cancellation) frees what the slot held and keeps the request counted, because it
may have reached Riot.

``slot(..., max_wait=2.0)`` bounds the wait: when the limiter knows room is further
away than that (or ``max_wait`` runs out while waiting) it raises
:class:`WaitTooLong` at once, with ``retry_after`` saying how far away room is; the
caller holds nothing then. ``max_wait=None`` waits as long as it takes, which is
itself bounded: a 429's pause is at most ``engine.PAUSE_CAP`` seconds, and a window
at most ``headers.MAX_WINDOW`` seconds.

``slot(..., warm_up=hook)``: when the wait for room is known to last ``WARM_AFTER``
seconds or more, the limiter calls ``hook()`` once, ``WARM_LEAD`` seconds before the
room is due (a plain function: it must not block; errors in it are logged and
ignored). The Riot client opens the connection the request will need there: a server
closes idle keep-alive connections (uvicorn after 5 s, many edges after a minute), so
after a window's wait every request of the next burst would first connect, which
over TLS and a WAN is two or three round trips before the request even leaves.

Options shared by every limiter:

``LIMITING_SHARE`` (default ``1.0``, ``0 < share <= 1``)
    Use only this share of every limit (rounded down, at least 1 request per
    window), leaving the rest to other deployments sharing the API key.
``PACING`` (default ``"burst"``)
    ``"burst"`` sends as soon as every window has room: a cold start spends a
    window's whole budget at once, then waits for the window to close — the highest
    throughput and the lowest latency while the budget lasts. ``"spread"`` also
    keeps requests at least ``seconds / limit`` apart (the slowest window's rate),
    so traffic is smooth and a window never fills in one burst; throughput is the
    same in the long run, but a single request may wait up to that interval even
    when the windows have room.
"""

from __future__ import annotations

import logging
import math
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, Self, TypeVar

from django.utils.module_loading import import_string

from ..exceptions import ImproperlyConfiguredPipeline, PyotError
from .headers import UNPARSED, Feedback, read_feedback

__all__ = [
    "PACINGS",
    "WARM_AFTER",
    "WARM_LEAD",
    "Limiter",
    "Patience",
    "Slot",
    "SlotHold",
    "WaitTooLong",
    "build_limiter",
]

PACINGS = ("burst", "spread")
_DEFAULT_BACKEND = "pyot_django.limiters.MemoryLimiter"

T = TypeVar("T")

WARM_AFTER = 1.0
"""A wait for room at least this long (seconds) calls the caller's warm-up hook (see above)."""
WARM_LEAD = 0.5
"""Seconds before the room is due that the warm-up hook runs: room for a TLS handshake
over a long round trip, and far inside any server's idle keep-alive timeout."""

_log = logging.getLogger("pyot_django.limiters")


class WaitTooLong(PyotError):
    """No room within the caller's ``max_wait``; ``retry_after``: seconds until there may be."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(0.0, float(retry_after))
        super().__init__(f"the rate limiter has no room for {self.retry_after:.2f} s")


class Patience:
    """How long one acquisition may still wait (``max_wait`` None: without end), and the
    caller's warm-up hook (called at most once, see the module docstring)."""

    __slots__ = ("until", "warm_up")

    def __init__(self, max_wait: float | None, warm_up: Callable[[], object] | None = None) -> None:
        self.until = math.inf if max_wait is None else time.monotonic() + max(0.0, max_wait)
        self.warm_up = warm_up

    def left(self) -> float:
        return self.until - time.monotonic()

    def check(self, wait: float) -> None:
        """Raise :class:`WaitTooLong` unless waiting ``wait`` seconds still fits."""
        if wait > self.left():
            raise WaitTooLong(wait)

    def bound(self, wait: float) -> float:
        """``wait`` cut to what is left (raising when nothing is left)."""
        left = self.left()
        if left <= 0:
            raise WaitTooLong(max(wait, 0.0))
        return min(wait, left)

    def warm_in(self, wait: float) -> float | None:
        """Seconds into a ``wait`` for room at which to call :meth:`warm` (None: not in this one)."""
        if self.warm_up is None or wait < WARM_AFTER:
            return None
        return wait - WARM_LEAD

    def warm(self) -> None:
        """Call the warm-up hook, once; a failing hook must not fail the acquisition."""
        hook, self.warm_up = self.warm_up, None
        if hook is None:
            return
        try:
            hook()
        except Exception:  # a best-effort hint: the request itself will connect
            _log.debug("the rate limiter's warm-up hook failed", exc_info=True)


class Slot(Generic[T]):
    """Permission to send one request; report its answer with :meth:`record`."""

    __slots__ = ("_limiter", "_settled", "ticket")

    def __init__(self, limiter: Limiter[T], ticket: T) -> None:
        self._limiter = limiter
        self.ticket = ticket
        self._settled = False

    async def record(self, status: int, headers: Mapping[str, str], retry_after: Any = UNPARSED) -> None:
        """Learn from the answer (``headers`` should be case-insensitive, e.g. ``httpx.Headers``).

        ``retry_after``: the caller's already parsed (and capped) ``Retry-After``, so the
        limiter pauses for the same value the caller waits; by default it is read here.
        """
        await self._settle(read_feedback(status, headers, retry_after))

    async def _settle(self, feedback: Feedback) -> None:
        if self._settled:
            return
        self._settled = True
        await self._limiter._settle(self.ticket, feedback)


_NO_ANSWER = Feedback()


class SlotHold(Generic[T]):
    """``Limiter.slot``'s context manager: acquires on entry; on exit frees a probe hold and
    keeps the request counted when no answer was recorded (it may have arrived).

    A class rather than ``contextlib.asynccontextmanager``: it runs once per request, and a
    generator-based manager costs several microseconds more on every one.
    """

    __slots__ = ("_key", "_limiter", "_max_wait", "_slot", "_warm_up")

    def __init__(
        self,
        limiter: Limiter[T],
        key_id: str,
        server: str,
        method: str,
        max_wait: float | None,
        warm_up: Callable[[], object] | None = None,
    ) -> None:
        self._limiter = limiter
        self._key = (key_id, server, method)
        self._max_wait = max_wait
        self._warm_up = warm_up
        self._slot: Slot[T] | None = None

    async def __aenter__(self) -> Slot[T]:
        key_id, server, method = self._key
        ticket = await self._limiter._acquire(key_id, server, method, Patience(self._max_wait, self._warm_up))
        self._slot = Slot(self._limiter, ticket)
        return self._slot

    async def __aexit__(self, *exc_info: object) -> None:
        if self._slot is not None:
            await self._slot._settle(_NO_ANSWER)


class Limiter(ABC, Generic[T]):
    """Base class: per (key, server) app limits and per (key, server, method) method limits."""

    OPTIONS: ClassVar[frozenset[str]] = frozenset({"BACKEND", "LIMITING_SHARE", "PACING"})

    def __init__(self, *, limiting_share: float = 1.0, pacing: str = "burst") -> None:
        if (
            isinstance(limiting_share, bool)
            or not isinstance(limiting_share, int | float)
            or not 0 < limiting_share <= 1
        ):
            raise ValueError(f"LIMITING_SHARE must be a number in (0, 1], got {limiting_share!r}")
        if pacing not in PACINGS:
            raise ValueError(f"PACING must be one of {', '.join(PACINGS)}, got {pacing!r}")
        self.share = float(limiting_share)
        self.pacing = pacing

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Self:
        """Build from a settings dict whose keys are already validated against ``OPTIONS``."""
        kwargs = {name.lower(): value for name, value in options.items() if name != "BACKEND"}
        return cls(**kwargs)

    def slot(
        self,
        key_id: str,
        server: str,
        method: str,
        *,
        max_wait: float | None = None,
        warm_up: Callable[[], object] | None = None,
    ) -> SlotHold[T]:
        """Wait until one request may go out in every app and method window, then hold it.

        ``async with limiter.slot(...) as slot``: ``key_id`` identifies the API key (a
        hash, never the key), ``server`` is the routing value and ``method`` the Riot
        operation id; ``max_wait`` bounds the wait (:class:`WaitTooLong` instead of
        waiting longer); ``warm_up`` is called once shortly before room comes after a long
        wait (see the module docstring).
        """
        return SlotHold(self, key_id, server, method, max_wait, warm_up)

    async def aclose(self) -> None:
        """Release connections; the limiter stays usable (they reopen lazily)."""

    @abstractmethod
    async def _acquire(self, key_id: str, server: str, method: str, patience: Patience) -> T:
        """Wait for room and take it, within ``patience``; must leave nothing taken if
        cancelled or when raising :class:`WaitTooLong`."""

    @abstractmethod
    async def _settle(self, ticket: T, feedback: Feedback) -> None:
        """Account for the answer (or its absence) to the request ``ticket`` admitted."""


def build_limiter(options: Mapping[str, Any] | None, setting_path: str = "RATE_LIMITER") -> Limiter[Any]:
    """Build the limiter a ``RATE_LIMITER`` setting describes (``BACKEND`` defaults to memory).

    Errors are :class:`ImproperlyConfiguredPipeline` naming ``setting_path``.
    """
    options = dict(options or {})
    path = options.get("BACKEND", _DEFAULT_BACKEND)
    try:
        backend = import_string(path) if isinstance(path, str) else path
    except ImportError as exc:
        raise ImproperlyConfiguredPipeline(f'{setting_path}["BACKEND"]: cannot import {path!r} ({exc})') from exc
    if not (isinstance(backend, type) and issubclass(backend, Limiter)):
        raise ImproperlyConfiguredPipeline(f'{setting_path}["BACKEND"]: {path!r} is not a pyot_django.limiters.Limiter')
    unknown = sorted(set(options) - backend.OPTIONS)
    if unknown:
        raise ImproperlyConfiguredPipeline(
            f"{setting_path}: unknown option(s) {', '.join(unknown)} for {backend.__name__}; "
            f"valid options: {', '.join(sorted(backend.OPTIONS))}"
        )
    try:
        return backend.from_options(options)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfiguredPipeline(f"{setting_path}: {exc}") from exc
