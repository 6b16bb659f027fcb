"""``Pipeline``: a token walks the stores in order; the first that has it answers.

On the way back every cache store *before* the one that answered stores the value
(the sink). A cache store that fails counts as a miss (see :mod:`.health`);
concurrent gets of one token in one event loop share one lookup.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import orjson

from ..exceptions import NotFindable, NotFound, PyotError
from ..stores.base import CacheStore, Store
from .health import StoreHealth
from .lease import fleet_get
from .trace import LookupRecord, current_trace

if TYPE_CHECKING:
    import httpx

    from .token import PipelineToken

__all__ = ["Pipeline"]

# Set by a lookup while a trace is active: the index of the store that answered.
_supplier: ContextVar[int | None] = ContextVar("pyot_django_supplier", default=None)
_SHARED = -1

_PASS_ON = (NotFound, NotFindable, NotImplementedError)


class _LeaderGone(Exception):
    """The task doing a shared lookup was cancelled; followers look up themselves."""


class _Flight:
    """One in-flight lookup: the leader's future and how many followers wait on it."""

    __slots__ = ("followers", "future", "raw")

    def __init__(self, future: asyncio.Future[None]) -> None:
        self.future = future
        self.followers = 0
        # The result as JSON: each follower decodes its own copy, so no caller can
        # mutate what another one received.
        self.raw = b""


class Pipeline:
    """An ordered chain of stores for one game model."""

    def __init__(self, model: str, stores: Sequence[Store]) -> None:
        self.model = model.lower()
        self.stores: tuple[Store, ...] = tuple(stores)
        self.sessions: dict[str, httpx.AsyncClient] = {}
        self.health: tuple[StoreHealth, ...] = tuple(
            StoreHealth(f"pyot pipeline {self.model!r} store {index} ({store.name})")
            for index, store in enumerate(self.stores)
        )
        self._inflight: dict[tuple[asyncio.AbstractEventLoop, str], _Flight] = {}
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

    @property
    def cache_stores(self) -> list[CacheStore]:
        return [store for store in self.stores if isinstance(store, CacheStore)]

    # -- get -----------------------------------------------------------------------------

    async def get(self, token: PipelineToken, sid: str | None = None) -> Any:
        """The object for ``token`` from the first store that has it; ``NotFound`` if none."""
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
        record = self._record(token, supplier if supplier is not None and supplier >= 0 else None, started)
        if supplier == _SHARED:
            record = replace(record, shared=True, store_name="in-flight lookup")
        trace.add(record)
        return value

    def _record(
        self, token: PipelineToken, index: int | None, started: float, error: str | None = None
    ) -> LookupRecord:
        return LookupRecord(
            pipeline=self.model,
            method=token.method,
            server=token.server,
            key=token.stringify,
            store_index=index,
            store_name=None if index is None else self.stores[index].name,
            seconds=time.perf_counter() - started,
            error=error,
        )

    async def fetch(self, method: str, server: str, /, *, queries: dict[str, Any] | None = None, **params: Any) -> Any:
        """Get by operation id and named parameters, checked against the catalogue first.

        ``await lol.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid)``; a
        missing, extra or misspelled parameter, an unknown operation or a server that
        does not fit its routing raise before any store is asked.
        """
        return await self.get(self.token(method, server, queries=queries, **params))

    def fetch_sync(self, method: str, server: str, /, *, queries: dict[str, Any] | None = None, **params: Any) -> Any:
        """``fetch`` for sync code: cache hits are read in this thread (see ``get_sync``)."""
        return self.get_sync(self.token(method, server, queries=queries, **params))

    def token(
        self, method: str, server: str, /, *, queries: dict[str, Any] | None = None, **params: Any
    ) -> PipelineToken:
        """A checked ``PipelineToken`` for this pipeline's game (see ``fetch``)."""
        from ..riot import build_path, check_query, check_server, get_endpoint
        from .token import PipelineToken

        endpoint = get_endpoint(self.model, method)
        check_server(endpoint, server)
        build_path(endpoint, params)
        check_query(endpoint, queries or {})
        return PipelineToken(self.model, server, method, params, queries or {})

    def get_sync(self, token: PipelineToken, sid: str | None = None) -> Any:
        """``get`` for sync code (WSGI views, Celery tasks, commands) without an event loop per hit.

        ``async_to_sync(pipeline.get)`` starts a thread and an event loop for every call
        (~250 µs before any store is asked). Here the cache stores are read with their
        blocking APIs in the calling thread; only a miss in all of them goes through
        ``async_to_sync(self.get)``, which fetches, shares in-flight lookups and sinks.
        """
        trace = current_trace.get()
        started = time.perf_counter() if trace is not None else 0.0
        for index, store in enumerate(self.stores):
            if store.kind != "cache":
                break
            health = self.health[index]
            if health.failing and health.cooling_down():
                continue
            try:
                value = store.get_sync(token)
            except NotImplementedError:
                break  # this store reads only asynchronously: let the async path walk them all
            except (NotFound, NotFindable):
                continue
            except Exception as exc:
                health.failed("get", exc)
                continue
            if health.failing:
                health.recovered()
            health.hits += 1
            if index:
                from asgiref.sync import async_to_sync

                async_to_sync(self._sink)(token, value, index)
            if trace is not None:
                trace.add(self._record(token, index, started))
            return value
        from asgiref.sync import async_to_sync

        return async_to_sync(self.get)(token, sid)

    async def _get(self, token: PipelineToken, sid: str | None = None) -> Any:
        loop = asyncio.get_running_loop()
        key = (loop, token.stringify)
        inflight = self._inflight
        while (flight := inflight.get(key)) is not None:
            flight.followers += 1
            try:
                await asyncio.shield(flight.future)
            except _LeaderGone:
                continue
            if current_trace.get() is not None:
                _supplier.set(_SHARED)
            return orjson.loads(flight.raw)
        flight = inflight[key] = _Flight(loop.create_future())
        try:
            value = await self._lookup(token, sid)
        except asyncio.CancelledError:
            flight.future.set_exception(_LeaderGone())
            flight.future.exception()  # retrieved: no "never retrieved" noise when nobody followed
            raise
        except BaseException as exc:
            flight.future.set_exception(exc)
            flight.future.exception()
            raise
        else:
            if flight.followers:
                flight.raw = orjson.dumps(value)
            flight.future.set_result(None)
            return value
        finally:
            del inflight[key]

    async def _lookup(self, token: PipelineToken, sid: str | None) -> Any:
        session = self.sessions.get(sid) if sid is not None else None
        error: BaseException | None = None
        for index, store in enumerate(self.stores):
            health = self.health[index]
            if store.kind == "cache":
                if health.failing and health.cooling_down():
                    health.misses += 1
                    continue
                try:
                    value = await store.get(token, session)
                except _PASS_ON as exc:
                    health.misses += 1
                    error = exc
                    continue
                except Exception as exc:
                    health.failed("get", exc)
                    health.misses += 1
                    continue
                if health.failing:
                    health.recovered()
            else:
                try:
                    # hook: one upstream request per cold token across processes (lease.py)
                    value = await fleet_get(self, index, token, session)
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
        for index in range(stop):
            store = self.stores[index]
            if store.kind != "cache":
                continue
            health = self.health[index]
            if health.failing and health.cooling_down():
                continue
            try:
                await store.set(token, value)
            except NotImplementedError:
                continue
            except Exception as exc:
                health.failed("sink", exc)

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
            if store.kind != "service":
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

    def _caches(self) -> Iterator[tuple[int, Store]]:
        return ((index, store) for index, store in enumerate(self.stores) if store.kind == "cache")

    async def aclose(self) -> None:
        """Close sessions and store connections that belong to the running event loop."""
        for session in list(self.sessions.values()):
            await session.aclose()
        self.sessions.clear()
        for store in self.stores:
            await store.aclose()
