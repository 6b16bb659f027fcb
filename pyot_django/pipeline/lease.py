"""Fleet-wide single-flight: one upstream request per cold token across processes.

The pipeline's own single-flight stops at the process boundary: eight web
processes missing one token make eight Riot requests. When the pipeline has a
*shared* cache store before the service store — a ``DjangoCache`` on a
Redis-backed alias (django-redis or Django's ``RedisCache``; a LocMem is not
shared) — a lookup that missed every cache store runs one Lua script in that
Redis which, atomically, either returns the value (another process stored it
meanwhile) or takes a short *lease* on the token (``SET NX PX``):

- the **leader** (took the lease) asks the service, stores the value in the shared
  store, then releases the lease (only its own: the lease holds a random id). While
  it waits on the service (limiter slots can take seconds) it renews the lease
  every ``_LEASE_TTL / 3``;
- a **follower** re-runs the script with backoff (``_POLL_MIN`` doubling to
  ``_POLL_MAX``): it gets the value as soon as it is stored, or takes the lease
  itself once the leader is gone (released without storing: an error or a 404; or
  died: its lease expires within ``_LEASE_TTL``). Its whole wait is bounded by
  ``_FOLLOW_MAX`` seconds and by the lookup's deadline; past that it asks the
  service itself.

Cost on a warm hit: none (this runs only after every cache store missed). On a
cold lookup: one script call, plus the store write and the release for the
leader. A Redis that fails here never fails the lookup: the service is asked
directly. Off when the pipeline has no shared store, when the shared store keeps
nothing for the operation (expiration 0) or while its health is cooling down.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from ..riot.deadline import current_deadline
from ..stores.djangocache import DjangoCache
from ..stores.redis_async import NativeRedis, native_redis

if TYPE_CHECKING:
    import httpx

    from ..stores.base import Store
    from .core import Pipeline
    from .token import PipelineToken

__all__ = ["fleet_answer", "fleet_get"]

# Set by fleet_get when a follower took the value another process stored: that store's index.
fleet_answer: ContextVar[int | None] = ContextVar("pyot_django_fleet_answer", default=None)

logger = logging.getLogger("pyot_django.pipeline")

_LEASE_TTL = 3.0
"""Seconds a lease outlives its leader's last renewal: how soon a dead leader is replaced."""
_FOLLOW_MAX = 30.0
"""Bound on a follower's whole wait before it asks the service itself."""
_POLL_MIN, _POLL_MAX = 0.005, 0.1
try:
    from redis.exceptions import RedisError
except ImportError:  # redis-py is an extra: without it no alias is Redis-backed and no lease is taken
    _UNAVAILABLE: tuple[type[Exception], ...] = (OSError, TimeoutError)
else:
    _UNAVAILABLE = (RedisError, OSError, TimeoutError)

# KEYS: value, lease. ARGV: our id, lease ms. {1, value} | {2} (lease taken) | {3} (someone else's).
_VALUE_OR_LEASE = """
local value = redis.call('GET', KEYS[1])
if value then return {1, value} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2, ''} end
return {3, ''}
"""
_RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


class _Fleet:
    """The shared store (index into the pipeline) a pipeline's cold lookups coordinate through."""

    __slots__ = ("index", "store")

    def __init__(self, index: int, store: DjangoCache) -> None:
        self.index = index
        self.store = store


def _find_fleet(pipeline: Pipeline, service_index: int) -> _Fleet | None:
    for index, store in enumerate(pipeline.stores[:service_index]):
        if isinstance(store, DjangoCache) and native_redis(store.alias) is not None:
            return _Fleet(index, store)
    return None


async def fleet_get(
    pipeline: Pipeline, service_index: int, token: PipelineToken, session: httpx.AsyncClient | None
) -> Any:
    """``pipeline.stores[service_index].get(token, session)``, once per token across the fleet."""
    service = pipeline.stores[service_index]
    fleets: dict[int, _Fleet | None] = pipeline.__dict__.setdefault("_pyot_fleets", {})
    try:
        fleet = fleets[service_index]
    except KeyError:
        fleet = fleets[service_index] = _find_fleet(pipeline, service_index)
    if fleet is None:
        return await service.get(token, session)
    store = fleet.store
    health = pipeline.health[fleet.index]
    native = native_redis(store.alias)
    if native is None or store.expirations.ttl(token.method) == 0 or (health.failing and health.cooling_down()):
        return await service.get(token, session)
    key = store.key_for(token)
    keys = [native.make_key(key), native.make_key(f"{key}~lease")]
    me = f"{os.getpid()}-{secrets.token_hex(8)}"
    try:
        found, value = await _follow(native, keys, me)
    except _UNAVAILABLE as exc:
        logger.debug("fleet single-flight skipped for %s: %s: %s", token.method, type(exc).__name__, exc)
        return await service.get(token, session)
    if found:
        # Another process fetched it into the shared store: that store answered, not Riot.
        fleet_answer.set(fleet.index)
        return value
    if value is None:  # waited long enough: ask without the lease
        return await service.get(token, session)
    return await _lead(native, keys[1], me, store, service, token, session)


async def _follow(native: NativeRedis, keys: list[str], me: str) -> tuple[bool, Any]:
    """(True, value) once stored; (False, True) with the lease taken; (False, None) on timeout."""
    client = await native.client()
    script = client.register_script(_VALUE_OR_LEASE)
    loop = asyncio.get_running_loop()
    bound = _FOLLOW_MAX
    deadline = current_deadline.get()
    if deadline is not None:
        bound = min(bound, deadline.remaining())
    give_up = loop.time() + bound
    delay = _POLL_MIN
    lease_ms = str(int(_LEASE_TTL * 1000))
    while True:
        async with await native.slot():
            kind, raw = await script(keys=keys, args=[me, lease_ms])
        if kind == 1:
            return True, native.decode(raw)
        if kind == 2:
            return False, True
        left = give_up - loop.time()
        if left <= 0:
            return False, None
        await asyncio.sleep(min(delay, left))
        delay = min(delay * 2, _POLL_MAX)


async def _lead(
    native: NativeRedis,
    lease_key: str,
    me: str,
    store: DjangoCache,
    service: Store,
    token: PipelineToken,
    session: httpx.AsyncClient | None,
) -> Any:
    renewing = asyncio.ensure_future(_renew(native, lease_key, me))
    try:
        value = await service.get(token, session)
        if value is None:
            return value  # not data: never cached (the pipeline's sink refuses it too)
        try:
            # Stored before the lease goes, so followers find the value, not a free lease.
            await store.set(token, value)
        except Exception as exc:  # ValueRefused (too large) or Redis trouble: followers ask themselves
            logger.debug("fleet single-flight: storing %s failed: %s: %s", token.method, type(exc).__name__, exc)
        return value
    finally:
        renewing.cancel()
        try:
            client = await native.client()
            async with await native.slot():
                await asyncio.shield(client.eval(_RELEASE, 1, lease_key, me))
        except _UNAVAILABLE:
            pass  # the lease expires on its own within _LEASE_TTL


async def _renew(native: NativeRedis, lease_key: str, me: str) -> None:
    lease_ms = int(_LEASE_TTL * 1000)
    while True:
        await asyncio.sleep(_LEASE_TTL / 3)
        try:
            client = await native.client()
            async with await native.slot():
                await client.eval(_RENEW, 1, lease_key, me, lease_ms)
        except _UNAVAILABLE:
            continue
