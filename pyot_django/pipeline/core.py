"""``Pipeline``: a token walks the stores in order; the first that has it answers.

On the way back every cache store *before* the one that answered stores the value
(the sink). A cache store that fails counts as a miss (see :mod:`.health`);
concurrent gets of one token in one process share one lookup (see :mod:`.flight`).
A lookup may carry a ``deadline`` (seconds) bounding everything it spends.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from ..exceptions import NotFindable, NotFound, PyotError
from ..observe.events import observed_lookup  # observe: hook (issue 13)
from ..riot.deadline import Deadline, current_deadline, deadline_problem, deadline_scope
from ..stores.base import CacheStore, ServiceStore, Store, ValueRefused
from ..stores.memory import Memory
from .flight import FlightTable, LeaderGone
from .health import StoreHealth
from .lease import fleet_answer, fleet_get
from .trace import LookupRecord, current_trace
from .typed_fetch import TypedFetch

if TYPE_CHECKING:
    import httpx

    from .token import PipelineToken

__all__ = ["Pipeline"]

# Set by a lookup while a trace is active: the index of the store that answered.
_supplier: ContextVar[int | None] = ContextVar("pyot_django_supplier", default=None)
_SHARED = -1

_PASS_ON = (NotFound, NotFindable, NotImplementedError)


logger = logging.getLogger("pyot_django.pipeline")


def _checked_deadline(deadline: object) -> float | None:
    if deadline is None:
        return None
    problem = deadline_problem(deadline)
    if problem is None and isinstance(deadline, (int, float)):  # deadline_problem checked the type
        return deadline
    raise ValueError(f"deadline={deadline!r}: {problem}; pass seconds such as 2.0, or None to wait patiently")


def _refuse_running_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        "get_sync/fetch_sync cannot fetch from a thread running an event loop; use await pipeline.get(...)"
    )


def _remaining(deadline: Deadline | None) -> float | None:
    return None if deadline is None else deadline.remaining()


class Pipeline(TypedFetch):
    """An ordered chain of stores for one game model (``fetch`` / ``fetch_sync``: see TypedFetch)."""

    def __init__(self, model: str, stores: Sequence[Store]) -> None:
        self.model = model.lower()
        self.stores: tuple[Store, ...] = tuple(stores)
        self.sessions: dict[str, httpx.AsyncClient] = {}
        self.health: tuple[StoreHealth, ...] = tuple(
            StoreHealth(f"pyot pipeline {self.model!r} store {index} ({store.name})")
            for index, store in enumerate(self.stores)
        )
        self._flights = FlightTable()
        # A hit in process memory is read before any flight: nothing to share, and leading
        # a Flight would cost the async hit more than the read (get_sync reads it the same way).
        first = self.stores[0] if self.stores else None
        self._memory: Memory | None = first if type(first) is Memory else None
        identities = [identity for store in self.stores if (identity := getattr(store, "identity", None))]
        self.namespace = f"{self.model}@{'+'.join(identities) or 'nokey'}"
        for store in self.stores:
            store.bind_namespace(self.namespace)

    def __iter__(self) -> Iterator[Store]:
        return iter(self.stores)

    def __len__(self) -> int:
        return len(self.stores)

    def __repr__(self) -> str:
        return f"<Pipeline {self.model}: {' → '.join(store.name for store in self.stores)}>"

    # -- get -----------------------------------------------------------------------------

    @observed_lookup  # observe: hook (issue 13): one lookup_done event per lookup
    async def get(self, token: PipelineToken, sid: str | None = None, *, deadline: float | None = None) -> Any:
        """The object for ``token`` from the first store that has it; ``NotFound`` if none.

        ``deadline`` (seconds) bounds the whole lookup: limiter waits, attempts,
        backoffs and waiting for another caller's in-flight lookup of the same token.
        Past it the lookup fails with ``RateLimited`` (carrying ``retry_after``) or
        ``Timeout`` instead of sleeping. ``None`` keeps the enclosing deadline, if any.
        """
        seconds = _checked_deadline(deadline)
        if seconds is None:
            return await self._traced_get(token, sid)
        with deadline_scope(seconds):
            return await self._traced_get(token, sid)

    async def _traced_get(self, token: PipelineToken, sid: str | None) -> Any:
        trace = current_trace.get()
        if trace is None:
            return await self._get(token, sid)
        started = time.perf_counter()
        try:
            value = await self._get(token, sid)
        except Exception as exc:
            trace.add(self._record(token, None, started, error=f"{type(exc).__name__}: {exc}"))
            raise
        supplier = _supplier.get()
        trace.answered(
            self, token, supplier if supplier is not None and supplier >= 0 else None, started, supplier == _SHARED
        )
        return value

    def _record(
        self,
        token: PipelineToken,
        index: int | None,
        started: float,
        error: str | None = None,
        shared: bool = False,
    ) -> LookupRecord:
        return LookupRecord(
            pipeline=self.model,
            method=token.method,
            server=token.server,
            key=token.stringify,
            store_index=index,
            store_name="in-flight lookup" if shared else None if index is None else self.stores[index].name,
            seconds=time.perf_counter() - started,
            error=error,
            shared=shared,
        )

    def token(
        self, method: str, server: str, /, *, queries: dict[str, Any] | None = None, **params: Any
    ) -> PipelineToken:
        """A checked ``PipelineToken`` for this pipeline's game (see ``fetch``)."""
        from ..riot import build_path, check_query, check_server, get_endpoint
        from .token import PipelineToken

        endpoint = get_endpoint(self.model, method)
        token = PipelineToken(self.model, server, method, params, queries or {})
        check_server(endpoint, token.server)
        build_path(endpoint, token.params)
        check_query(endpoint, token.queries)
        return token

    @observed_lookup  # observe: hook (issue 13): one lookup_done event per lookup
    def get_sync(self, token: PipelineToken, sid: str | None = None, *, deadline: float | None = None) -> Any:
        """``get`` for sync code (WSGI views, Celery tasks, commands) without an event loop per hit.

        ``async_to_sync(pipeline.get)`` starts a thread and an event loop for every call
        (~250 µs before any store is asked). Here the cache stores are read with their
        blocking APIs in the calling thread; only a miss in all of them goes through
        ``async_to_sync(self.get)``, which fetches and sinks; a thread that finds the
        token already in flight waits for it here, without an event loop.
        """
        seconds = _checked_deadline(deadline)
        trace = current_trace.get()
        started = time.perf_counter() if trace is not None else 0.0
        for index, store in enumerate(self.stores):
            if not isinstance(store, CacheStore):
                break
            health = self.health[index]
            if health.failing and health.cooling_down():
                continue
            try:
                value = store.get_sync(token)
            except NotImplementedError:
                break  # this store reads only asynchronously: let the async path walk them all
            except (NotFound, NotFindable):
                health.recovered()  # it answered: a failing store is back
                continue
            except Exception as exc:
                health.failed("get", exc)
                continue
            health.recovered()
            health.hits += 1
            if index:
                from asgiref.sync import async_to_sync

                async_to_sync(self._sink)(token, value, index)
            if trace is not None:
                trace.answered(self, token, index, started)
            return value
        if seconds is None:
            return self._get_sync_miss(token, sid)
        with deadline_scope(seconds):
            return self._get_sync_miss(token, sid)

    def _get_sync_miss(self, token: PipelineToken, sid: str | None) -> Any:
        from asgiref.sync import async_to_sync

        _refuse_running_loop()  # blocking here would stall a leader running on this very loop
        key = token.stringify
        deadline = current_deadline.get()
        while (flight := self._flights.join(key)) is not None:
            started = time.perf_counter()
            flight.wait_sync(self._flights.lock, _remaining(deadline))
            try:
                value = flight.outcome(deadline)
            except LeaderGone:
                continue
            trace = current_trace.get()
            if trace is not None:
                trace.answered(self, token, None, started, shared=True)
            return value
        # The deadline scope's context travels with async_to_sync into the lookup.
        return async_to_sync(self._traced_get)(token, sid)

    async def _get(self, token: PipelineToken, sid: str | None = None) -> Any:
        memory = self._memory
        if memory is not None:
            try:
                value = memory.get_sync(token)
            except NotFound:
                pass  # _lookup asks it again and counts the miss
            else:
                self.health[0].hits += 1
                if current_trace.get() is not None:
                    _supplier.set(0)
                return value
        key = token.stringify
        deadline = current_deadline.get()
        flights = self._flights
        while True:
            flight, leading = flights.join_or_lead(key, deadline)
            if leading:
                break
            await flight.wait_async(flights.lock, _remaining(deadline))
            try:
                value = flight.outcome(deadline)
            except LeaderGone:
                continue  # the leader stopped without an answer for us: lead (or follow) anew
            if current_trace.get() is not None:
                _supplier.set(_SHARED)
            return value
        try:
            value = await self._lookup(token, sid)
        except asyncio.CancelledError:
            flights.land(key, flight, error=LeaderGone())
            raise
        except BaseException as exc:
            flights.land(key, flight, error=exc)
            raise
        flights.land(key, flight, value)
        return value

    async def _lookup(self, token: PipelineToken, sid: str | None) -> Any:
        session = self.sessions.get(sid) if sid is not None else None
        error: BaseException | None = None
        for index, store in enumerate(self.stores):
            health = self.health[index]
            if isinstance(store, CacheStore):
                if health.failing and health.cooling_down():
                    health.misses += 1
                    continue
                try:
                    value = await store.get(token, session)
                except (NotFound, NotFindable) as exc:
                    health.recovered()  # it answered: a failing store is back
                    health.misses += 1
                    error = exc
                    continue
                except NotImplementedError as exc:
                    health.misses += 1
                    error = exc
                    continue
                except Exception as exc:
                    health.failed("get", exc)
                    health.misses += 1
                    continue
                health.recovered()
            else:
                try:
                    # hook: one upstream request per cold token across processes (lease.py)
                    reset = fleet_answer.set(None)
                    try:
                        value = await fleet_get(self, index, token, session)
                        shared_store = fleet_answer.get()
                    finally:
                        fleet_answer.reset(reset)
                    if shared_store is not None:
                        index = shared_store  # read from the shared cache: report and sink as its hit
                except NotFound:
                    health.misses += 1
                    raise  # a service's 404 is final: Riot said it does not exist
                except _PASS_ON as exc:
                    health.misses += 1
                    error = exc
                    continue
                except Exception:
                    health.errors += 1
                    raise
            health.hits += 1
            if current_trace.get() is not None:
                _supplier.set(index)
            if index:
                await self._sink(token, value, index)
            return value
        if error is not None:
            raise error
        raise NotFound(f"no store of pipeline {self.model!r} could supply {token.method}", method=token.method)

    async def _sink(self, token: PipelineToken, value: Any, stop: int) -> None:
        if value is None:
            # Not data (an empty or null answer): never cached, whatever a store would accept.
            logger.debug("pipeline %r: not caching a None value of %s", self.model, token.method)
            return
        for index in range(stop):
            store = self.stores[index]
            if not isinstance(store, CacheStore):
                continue
            health = self.health[index]
            if health.failing and health.cooling_down():
                continue
            try:
                await store.set(token, value)
            except NotImplementedError:
                continue
            except ValueRefused as exc:
                health.refused(exc)  # about this value only: the store stays in service
                continue
            except Exception as exc:
                health.failed("sink", exc)
                continue
            health.recovered()

    # -- writes and maintenance --------------------------------------------------------------

    def _stop_index(self, stop: Store | int | None) -> int:
        if stop is None:
            return len(self.stores)
        if isinstance(stop, int):
            return stop
        for index, store in enumerate(self.stores):
            if store is stop:
                return index
        raise PyotError(f"{stop!r} is not a store of pipeline {self.model!r}")

    async def set(self, token: PipelineToken, value: Any, stop: Store | int | None = None) -> None:
        """Store ``value`` in every cache store before ``stop`` (a store or an index; None: all)."""
        await self._sink(token, value, self._stop_index(stop))

    async def post(self, token: PipelineToken, body: Any, sid: str | None = None) -> Any:
        """Send ``body`` to the first service store that serves ``token``; never cached."""
        return await self._send("post", token, body, sid)

    async def put(self, token: PipelineToken, body: Any, sid: str | None = None) -> Any:
        """Send ``body`` with PUT to the first service store that serves ``token``; never cached."""
        return await self._send("put", token, body, sid)

    async def _send(self, verb: str, token: PipelineToken, body: Any, sid: str | None) -> Any:
        session = self.sessions.get(sid) if sid is not None else None
        error: BaseException | None = None
        for store in self.stores:
            if not isinstance(store, ServiceStore):
                continue
            try:
                return await getattr(store, verb)(token, body, session)
            except (NotFindable, NotImplementedError) as exc:
                error = exc
        raise error or NotFindable(f"no service store of pipeline {self.model!r} can {verb} {token.method}")

    async def clear(self) -> dict[int, int | None]:
        """Clear every cache store; returns store index → entries removed (None: unknown)."""
        return {index: await store.clear() for index, store in self._caches()}

    async def expire(self) -> dict[int, int | None]:
        """Drop expired entries of every cache store; returns store index → entries removed."""
        return {index: await store.expire() for index, store in self._caches()}

    async def delete(self, token: PipelineToken) -> bool:
        """Delete ``token`` from every cache store; True if any held it."""
        deleted = False
        for _, store in self._caches():
            deleted = await store.delete(token) or deleted
        return deleted

    async def contains(self, token: PipelineToken) -> bool:
        """Whether any cache store holds ``token``."""
        for _, store in self._caches():
            if await store.contains(token):
                return True
        return False

    def _caches(self) -> Iterator[tuple[int, CacheStore]]:
        return ((index, store) for index, store in enumerate(self.stores) if isinstance(store, CacheStore))

    async def aclose(self) -> None:
        """Close sessions and store connections that belong to the running event loop."""
        for session in list(self.sessions.values()):
            await session.aclose()
        self.sessions.clear()
        for store in self.stores:
            await store.aclose()
