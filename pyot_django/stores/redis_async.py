"""A native async path to a Redis-backed Django cache alias, through ``redis.asyncio``.

Django's async cache API (``aget``/``aset``) runs the sync client in a worker
thread: on django-redis a hit costs 2-3x one ``redis.asyncio`` GET of the same
bytes. For django-redis (``django_redis.cache.RedisCache`` with its
``DefaultClient``) and Django's own ``django.core.cache.backends.redis.RedisCache``,
:class:`NativeRedis` reads and writes the same entries the alias does, with the
alias's own pieces, so each path reads what the other wrote (and plain
``cache.get`` reads both):

- the key function: ``KEY_FUNCTION(key, KEY_PREFIX, VERSION)``;
- the value encoding: django-redis's ``encode``/``decode`` (its ``SERIALIZER`` and
  ``COMPRESSOR`` classes from ``OPTIONS``), Django's ``RedisSerializer`` (pickle) or
  the alias's ``serializer`` option;
- timeouts as each backend turns them into Redis expiries (django-redis: ``PX``
  in milliseconds, <= 0 deletes; Django: ``EX`` in whole seconds, 0 deletes).

Anything this module cannot mirror exactly (several servers, sentinel or sharded
clients, the herd client, a custom pool or client class) gets ``None`` from
:func:`native_redis`, and the store keeps ``aget``/``aset``.

Connections: one ``redis.asyncio`` client per running event loop, because
``async_to_sync`` may run each call on a fresh loop and a connection bound to a
dead loop cannot be reused. Each client closes with its loop, or on its loop when the
path is dropped first, as when ``CACHES`` changes (``riot/http/loop_owned.py``), and is
forgotten on the next lookup. At most
``_POOL_SIZE`` connections per loop; a caller queues at most ``_POOL_WAIT`` s for one.
The bound is an ``asyncio.Semaphore`` in front of a plain pool of that size: taking a
free slot costs nothing, where redis-py's ``BlockingConnectionPool`` arms a condition
and a timeout on every command (~15 us of a ~120 us hit).

A loop that ``async_to_sync`` made for one call (a sync view calling
``async_to_sync(pipeline.get)``) lives for that call only: a client of its own would
open and close a TCP connection per lookup (2-3 ms, and a TIME_WAIT socket each). On
such a loop, get and set go through one process-wide *sync* client instead, inline:
the loop is private to that call, so one bounded round trip blocks nobody else.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, TypeAlias, cast

from ..riot.http.io_loop import on_throwaway_loop as _on_throwaway_loop
from ..riot.http.loop_owned import close_on_drop, close_with_loop

if TYPE_CHECKING:
    import redis
    import redis.asyncio as aioredis
    from django.core.cache.backends.base import BaseCache

__all__ = ["NativeRedis", "forget_native", "native_redis"]

_POOL_SIZE, _POOL_WAIT, _POOL_SLACK = 64, 10.0, 8
_DEFAULT_SOCKET_TIMEOUT = 5.0
"""Bound on one Redis reply when the alias sets none (django-redis and Django wait forever)."""

# django-redis OPTIONS this module mirrors; any other option may change how entries
# are stored or reached, so the alias then keeps Django's own async API.
_DJANGO_REDIS_OPTIONS = frozenset(
    {
        "CLIENT_CLASS",
        "SERIALIZER",
        "COMPRESSOR",
        "SOCKET_TIMEOUT",
        "SOCKET_CONNECT_TIMEOUT",
        "PASSWORD",
        "IGNORE_EXCEPTIONS",
        "LOG_IGNORED_EXCEPTIONS",
        "CONNECTION_POOL_KWARGS",
        "PICKLE_VERSION",
    }
)
_DJANGO_OPTIONS = frozenset(
    {
        "serializer",
        "db",
        "password",
        "username",
        "socket_timeout",
        "socket_connect_timeout",
        "ssl_cert_reqs",
        "health_check_interval",
        "retry_on_timeout",
    }
)
_POOL_KWARGS = frozenset({"max_connections", "ssl_cert_reqs", "health_check_interval", "retry_on_timeout"})

Expiry: TypeAlias = tuple[Literal["px", "ex"], int] | Literal[False] | None
"""How a backend stores a timeout: ``("px", ms)`` / ``("ex", s)``, False: delete, None: no expiry."""


class _LoopClient(NamedTuple):
    """One event loop's client, the generator that closes it with the loop, and its slots."""

    client: aioredis.Redis
    closer: AsyncGenerator[None, None]
    slots: asyncio.Semaphore


class _Slot:
    """``async with``: one of the loop's ``_POOL_SIZE`` connections, waited for at most ``_POOL_WAIT`` s."""

    __slots__ = ("_slots",)

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self._slots = slots

    async def __aenter__(self) -> None:
        if self._slots.locked():  # every connection busy: queue, with a bound
            try:
                async with asyncio.timeout(_POOL_WAIT):
                    await self._slots.acquire()
            except TimeoutError:
                from redis.exceptions import ConnectionError as NoConnection

                raise NoConnection(f"no Redis connection free within {_POOL_WAIT:g} s") from None
        else:
            await self._slots.acquire()  # free: returns at once

    async def __aexit__(self, *_: object) -> None:
        self._slots.release()


class NativeRedis:
    """``get``/``set``/``add`` of one Redis-backed alias, natively async (see the module docs)."""

    def __init__(
        self,
        *,
        url: str,
        connection: dict[str, Any],
        key_func: Callable[[str, str, int], str],
        key_prefix: str,
        version: int,
        encode: Callable[[Any], Any],
        decode: Callable[[bytes], Any],
        expiry: Callable[[float | None], Expiry],
    ) -> None:
        self.url = url
        self._connection = connection
        self._key_func = key_func
        self._key_prefix = key_prefix
        self._version = version
        self.encode = encode
        self.decode = decode
        self._expiry = expiry
        self._clients: dict[asyncio.AbstractEventLoop, _LoopClient] = {}
        close_on_drop(self, self._clients, attrgetter("closer"))  # CACHES changed: a live loop's client closes on it
        self._lock = threading.Lock()
        self._sync_client: redis.Redis | None = None

    def _shared_sync(self) -> redis.Redis:
        """The process-wide sync client for throwaway loops (thread-safe, bounded like a loop's)."""
        client = self._sync_client
        if client is None:
            import redis  # here: redis-py is an extra, and only a Redis alias gets here

            with self._lock:
                if self._sync_client is None:
                    pool = redis.BlockingConnectionPool.from_url(
                        self.url, max_connections=_POOL_SIZE, timeout=_POOL_WAIT, **self._connection
                    )
                    self._sync_client = redis.Redis(connection_pool=pool)
                client = self._sync_client
        return client

    def make_key(self, key: str) -> str:
        """The Redis key the alias itself uses for ``key`` (its key function, prefix and version)."""
        return self._key_func(key, self._key_prefix, self._version)

    async def _entry(self) -> _LoopClient:
        """This event loop's client (opened on first use, closed with the loop)."""
        loop = asyncio.get_running_loop()
        entry = self._clients.get(loop)
        if entry is not None:
            return entry
        with self._lock:
            entry = self._clients.get(loop)
            fresh = entry is None
            if entry is None:
                for dead in [other for other in self._clients if other.is_closed()]:
                    del self._clients[dead]
                import redis.asyncio as aioredis  # here: redis-py is an extra, and only a Redis alias gets here

                # The pool's own cap is a backstop: every command waits for a slot first. Its slack
                # covers a shielded command (the lease release) outliving its cancelled slot.
                pool = aioredis.ConnectionPool.from_url(
                    self.url, max_connections=_POOL_SIZE + _POOL_SLACK, **self._connection
                )
                client = aioredis.Redis.from_pool(pool)
                entry = _LoopClient(client, close_with_loop(client.aclose), asyncio.Semaphore(_POOL_SIZE))
                self._clients[loop] = entry
        if fresh:
            await anext(entry.closer)
        return entry

    async def client(self) -> aioredis.Redis:
        """This event loop's client; send each command inside ``async with self.slot()``."""
        return (await self._entry()).client

    async def slot(self) -> _Slot:
        """A connection slot of this loop's client: ``async with await native.slot(): ...``."""
        return _Slot((await self._entry()).slots)

    async def get(self, key: str, default: Any = None) -> Any:
        if _on_throwaway_loop():
            raw = self._shared_sync().get(self.make_key(key))
        else:
            entry = await self._entry()
            async with _Slot(entry.slots):
                raw = await entry.client.get(self.make_key(key))
        # Our pools never set decode_responses (nor can the alias's options): replies are bytes.
        return default if raw is None else self.decode(cast(bytes, raw))

    async def set(self, key: str, value: Any, ttl: float | None) -> None:
        """Store ``value`` like the alias's ``set(key, value, ttl)`` (seconds; None: no expiry)."""
        command, args, options = self._set_command(key, value, ttl)
        if _on_throwaway_loop():
            getattr(self._shared_sync(), command)(*args, **options)
            return
        entry = await self._entry()
        async with _Slot(entry.slots):
            await getattr(entry.client, command)(*args, **options)

    def _set_command(self, key: str, value: Any, ttl: float | None) -> tuple[str, tuple[Any, ...], dict[str, int]]:
        """The Redis command the alias's backend sends for ``set(key, value, ttl)``."""
        expiry = self._expiry(ttl)
        if expiry is False:  # the backend deletes on a non-positive timeout
            return "delete", (self.make_key(key),), {}
        if expiry is None:
            return "set", (self.make_key(key), self.encode(value)), {}
        unit, amount = expiry
        return "set", (self.make_key(key), self.encode(value)), {unit: amount}

    async def aclose(self) -> None:
        """Close the running loop's client now (others close with their loops)."""
        entry = self._clients.pop(asyncio.get_running_loop(), None)
        if entry is not None:
            await entry.closer.aclose()


def _px(timeout: float | None) -> Expiry:
    # django-redis DefaultClient.set: milliseconds, and a timeout <= 0 deletes the key.
    if timeout is None:
        return None
    millis = int(timeout * 1000)
    return ("px", millis) if millis > 0 else False


def _ex(timeout: float | None) -> Expiry:
    # Django's RedisCache.get_backend_timeout + RedisCacheClient.set: whole seconds, 0 deletes.
    if timeout is None:
        return None
    seconds = max(0, int(timeout))
    return ("ex", seconds) if seconds > 0 else False


def _native(
    cache: BaseCache,
    url: str,
    connection: dict[str, Any],
    encode: Callable[[Any], Any],
    decode: Callable[[bytes], Any],
    expiry: Callable[[float | None], Expiry],
) -> NativeRedis:
    """The alias's own key function, prefix and version, with its backend's encoding and expiries."""
    return NativeRedis(
        url=url,
        connection=connection,
        key_func=cache.key_func,
        key_prefix=cache.key_prefix,
        version=cache.version,
        encode=encode,
        decode=decode,
        expiry=expiry,
    )


def _for_django_redis(cache: BaseCache) -> NativeRedis | None:
    from .django_redis_api import backend, connection_factory_class, default_client_class

    DefaultClient, ConnectionFactory = default_client_class(), connection_factory_class()
    client = backend(cache).client  # built lazily, no I/O
    options: dict[str, Any] = getattr(client, "_options", None) or {}
    if set(options) - _DJANGO_REDIS_OPTIONS:
        return None
    if type(client) is not DefaultClient or len(client._server) != 1:
        return None
    if type(client.connection_factory) is not ConnectionFactory:
        return None
    pool_kwargs = dict(options.get("CONNECTION_POOL_KWARGS") or {})
    if set(pool_kwargs) - _POOL_KWARGS:
        return None
    pool_kwargs.pop("max_connections", None)  # ours is per event loop
    connection: dict[str, Any] = {
        "socket_timeout": options.get("SOCKET_TIMEOUT") or _DEFAULT_SOCKET_TIMEOUT,
        "socket_connect_timeout": options.get("SOCKET_CONNECT_TIMEOUT") or _DEFAULT_SOCKET_TIMEOUT,
        **pool_kwargs,
    }
    if options.get("PASSWORD"):
        connection["password"] = options["PASSWORD"]
    return _native(cache, client._server[0], connection, client.encode, client.decode, _px)


class _Serializer(Protocol):
    def dumps(self, obj: Any) -> bytes: ...

    def loads(self, data: bytes) -> Any: ...


class _RedisCacheClientInternals(Protocol):
    _serializer: _Serializer


class _RedisCacheInternals(Protocol):
    """What django-stubs leaves out of Django's ``RedisCache``: its servers, its client's serializer."""

    _servers: list[str]

    @property
    def _cache(self) -> _RedisCacheClientInternals: ...


def _for_django(cache: BaseCache) -> NativeRedis | None:
    options: dict[str, Any] = getattr(cache, "_options", None) or {}
    if set(options) - _DJANGO_OPTIONS:
        return None
    django_cache = cast(_RedisCacheInternals, cache)
    servers = django_cache._servers
    if len(servers) != 1:
        return None
    serializer = django_cache._cache._serializer  # built lazily, no I/O
    connection = {name: value for name, value in options.items() if name != "serializer"}
    connection.setdefault("socket_timeout", _DEFAULT_SOCKET_TIMEOUT)
    connection.setdefault("socket_connect_timeout", _DEFAULT_SOCKET_TIMEOUT)
    return _native(cache, servers[0], connection, serializer.dumps, serializer.loads, _ex)


_natives: dict[str, NativeRedis | None] = {}
_natives_lock = threading.Lock()


def native_redis(alias: str) -> NativeRedis | None:
    """The native async path for cache ``alias``, or None when it must keep ``aget``/``aset``."""
    try:
        return _natives[alias]
    except KeyError:
        pass
    from django.core.cache import caches

    cache = caches[alias]
    module = type(cache).__module__
    native: NativeRedis | None = None
    if module == "django_redis.cache" and type(cache).__name__ == "RedisCache":
        native = _for_django_redis(cache)
    elif module == "django.core.cache.backends.redis" and type(cache).__name__ == "RedisCache":
        native = _for_django(cache)
    with _natives_lock:
        return _natives.setdefault(alias, native)


def forget_native(**_: Any) -> None:
    """Drop every alias's native path (``CACHES`` changed); clients close with their loops."""
    with _natives_lock:
        _natives.clear()


def _on_setting_changed(*, setting: str, **_: Any) -> None:
    if setting == "CACHES":
        forget_native()


def _connect() -> None:
    from django.core.signals import setting_changed

    setting_changed.connect(_on_setting_changed, dispatch_uid="pyot_django.stores.redis_async")


_connect()
