"""``RedisLimiter``: one budget shared by every process and machine using the same Redis.

Each acquisition is one atomic Lua script (:mod:`.script`) that checks and takes
from every app and method window together, timed by Redis's own clock; the callers
of one process that ask while such a call is in flight share the next one
(:mod:`.acquire_batch`), as the answers do (:mod:`.record_batch`). Keys look
like ``pyot:rl:{<key hash>:<server>}:<method>``: the hash tag keeps both scopes of
a request in one cluster slot, and the key itself never appears.

Connections open lazily, one pool per running event loop, because ``async_to_sync``
may run every call on a fresh loop and a pool bound to a dead loop cannot be
reused. Each pool closes with its loop (or on its loop when the limiter is dropped
first: ``riot/http/loop_owned.py``) and is forgotten on the next lookup; a weak
mapping would not do, as a pool's connections refer to their loop and would keep it
alive.

While Redis is unreachable, requests go through an in-process
:class:`MemoryLimiter` using ``FALLBACK_SHARE`` of this deployment's share (the
other processes are falling back too, and nobody can see them); the outage is
logged once, and Redis is tried again every ``_RECHECK`` seconds, not on every call.
Callers waiting in the fallback come back every ``_REJOIN`` seconds to see whether
Redis answers again, so a burst queued during the outage rejoins the shared limiter
within about a second of Redis's return instead of draining at the fallback's share.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any
from urllib.parse import urlsplit

import orjson
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from ..riot.http.io_loop import on_throwaway_loop, relay
from ..riot.http.loop_owned import close_on_drop, close_with_loop
from . import script
from .acquire_batch import AcquireBatches, Answer
from .base import Limiter, Patience, WaitTooLong
from .headers import Feedback
from .memory import MemoryLimiter, MemoryTicket
from .notify import Notifier
from .record_batch import RecordBatches
from .sleep import sleep_until

__all__ = ["RedisLimiter"]

logger = logging.getLogger("pyot_django.limiters")

_UNAVAILABLE = (RedisError, OSError, TimeoutError)
_RECHECK = 0.5
"""Seconds between attempts to reach Redis again during an outage."""
_REJOIN = 0.25
"""Longest stay of a waiting caller in the fallback before it looks at Redis again."""
_POLL_MIN, _POLL_MAX = 0.01, 0.2
"""Re-ask Redis this often (doubling) while another process's answer is awaited."""
_SOCKET_TIMEOUT = 1.0
_POOL_SIZE, _POOL_WAIT = 32, 10.0
"""Connections per event loop, and how long a call may queue for one."""


_Entry = tuple[aioredis.Redis, AsyncScript, AsyncGenerator[None, None]]


@dataclass(frozen=True, slots=True)
class RedisTicket:
    keys: tuple[str, str] | None
    sent: str = ""
    marks: str = ""
    fallback: MemoryTicket | None = None


def _public(location: str) -> str:
    """``location`` without credentials, for log lines."""
    parts = urlsplit(location)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class RedisLimiter(Limiter[RedisTicket]):
    """Rate limits shared through Redis (``LOCATION``: a ``redis://`` or ``rediss://`` URL).

    Extra options: ``KEY_PREFIX`` (default ``"pyot:rl"``) and ``FALLBACK_SHARE``
    (default ``0.25``): while Redis is down, each process uses this fraction of its
    ``LIMITING_SHARE`` on its own — pick about ``1 / number of processes``.
    """

    OPTIONS = Limiter.OPTIONS | {"LOCATION", "KEY_PREFIX", "FALLBACK_SHARE"}

    def __init__(
        self,
        *,
        location: str | None = None,
        key_prefix: str = "pyot:rl",
        fallback_share: float = 0.25,
        limiting_share: float = 1.0,
        pacing: str = "burst",
    ) -> None:
        super().__init__(limiting_share=limiting_share, pacing=pacing)
        if not isinstance(location, str) or not location:
            raise ValueError("LOCATION is required: a redis:// URL, e.g. 'redis://127.0.0.1:6379/0'")
        if (
            isinstance(fallback_share, bool)
            or not isinstance(fallback_share, int | float)
            or not 0 < fallback_share <= 1
        ):
            raise ValueError(f"FALLBACK_SHARE must be a number in (0, 1], got {fallback_share!r}")
        self.location = location
        self.key_prefix = key_prefix
        self.fallback = MemoryLimiter(limiting_share=self.share * fallback_share, pacing=pacing)
        self._source = script.render()
        self._clients: dict[asyncio.AbstractEventLoop, _Entry] = {}
        self._clients_lock = threading.Lock()
        close_on_drop(self, self._clients, itemgetter(2))  # the I/O loop's client outlives a dropped limiter
        self._down = False
        self._next_check = 0.0
        self._notifier = Notifier()  # an answer was recorded by this process
        self._orphans: set[asyncio.Task[Any]] = set()
        self._records = RecordBatches(self._send_records, self._notifier.notify)
        self._acquires = AcquireBatches(self._send_acquire, self._release)
        self._away_keys: set[tuple[str, str]] = set()  # scopes limited in process during an outage

    # -- connection handling ---------------------------------------------------------------

    async def _client(self) -> tuple[aioredis.Redis, AsyncScript]:
        loop = asyncio.get_running_loop()
        with self._clients_lock:
            entry = self._clients.get(loop)
            if entry is None:
                for dead in [other for other in self._clients if other.is_closed()]:
                    del self._clients[dead]
                # Blocking: a burst of callers queues for a connection instead of failing
                # with "too many connections" (which would look like an outage).
                pool = aioredis.BlockingConnectionPool.from_url(
                    self.location,
                    max_connections=_POOL_SIZE,
                    timeout=_POOL_WAIT,
                    socket_timeout=_SOCKET_TIMEOUT,
                    socket_connect_timeout=_SOCKET_TIMEOUT,
                    retry=Retry(NoBackoff(), 0),
                )
                client = aioredis.Redis.from_pool(pool)
                lua = client.register_script(self._source)
                entry = self._clients[loop] = (client, lua, close_with_loop(client.aclose))
                fresh = True
            else:
                fresh = False
        if fresh:
            await anext(entry[2])
        return entry[0], entry[1]

    async def _run(self, keys: tuple[str, str] | list[str], args: list[str]) -> Any:
        """One call of the limiter's script. From a loop ``async_to_sync`` made for one call (a
        sync lookup), it runs on the process's I/O loop, whose client lasts: a client of that
        throwaway loop would open a Redis connection per cold sync lookup."""
        if on_throwaway_loop():
            return await relay(self._run_here(keys, args))
        return await self._run_here(keys, args)

    async def _run_here(self, keys: tuple[str, str] | list[str], args: list[str]) -> Any:
        _, lua = await self._client()
        return await lua(keys=keys, args=args)

    async def aclose(self) -> None:
        loop = asyncio.get_running_loop()
        with self._clients_lock:
            entry = self._clients.pop(loop, None)
        if entry is not None:
            await entry[2].aclose()

    def _recheck_due(self) -> bool:
        now = time.monotonic()
        if now < self._next_check:
            return False
        self._next_check = now + _RECHECK  # this caller tries Redis; the others stay local
        return True

    def _mark_down(self, exc: BaseException) -> None:
        self._next_check = time.monotonic() + _RECHECK
        if not self._down:
            self._down = True
            # What the fallback learned in an earlier outage says nothing of today's counts.
            self.fallback.forget()
            logger.warning(
                "Rate-limit Redis at %s is unreachable (%s: %s); limiting in process at %.0f%% "
                "of the limits until it answers again",
                _public(self.location),
                type(exc).__name__,
                exc,
                self.fallback.share * 100,
                # observe: fields (issue 13)
                extra={"limiter_redis": _public(self.location), "error": type(exc).__name__},
            )

    async def _recover(self) -> None:
        """Make the scopes used during the outage probe again, then share through Redis."""
        away = list(self._away_keys)
        for keys in away or [self._keys("-", "-", "-")]:  # at least one call: proves Redis answers
            await self._run(keys, ["forget"])
        self._away_keys.difference_update(away)
        self._down = False
        self.fallback.wake()  # its waiters return to Redis now, not at their next turn
        logger.warning(
            "Rate-limit Redis at %s answers again; sharing limits through it",
            _public(self.location),
            extra={"limiter_redis": _public(self.location)},  # observe: fields (issue 13)
        )

    def _keys(self, key_id: str, server: str, method: str) -> tuple[str, str]:
        app = f"{self.key_prefix}:{{{key_id}:{server}}}"
        return app, f"{app}:{method}"

    # -- acquisition ---------------------------------------------------------------------------

    async def _acquire(self, key_id: str, server: str, method: str, patience: Patience | None = None) -> RedisTicket:
        patience = patience or Patience(None)
        keys = self._keys(key_id, server, method)
        delay = _POLL_MIN
        while True:
            if self._down:
                # Probing Redis may take up to _SOCKET_TIMEOUT: not for a caller with less patience.
                if patience.left() <= _SOCKET_TIMEOUT or not self._recheck_due():
                    self._away_keys.add(keys)
                    ticket = await self._fallback_acquire(key_id, server, method, patience)
                    if ticket is None:
                        continue  # waited a while: see whether Redis is back
                    return RedisTicket(None, fallback=ticket)
                try:
                    await self._recover()
                except _UNAVAILABLE as exc:
                    self._mark_down(exc)
                    continue
            generation = self._notifier.generation
            try:
                answer = await self._run_acquire(keys)
            except _UNAVAILABLE as exc:
                self._mark_down(exc)
                continue
            kind, value, extra = answer
            if kind == "A":
                return RedisTicket(keys, value, extra)
            seconds = float(value)
            patience.check(seconds)
            if seconds > 0:
                # A plain sleep each, not MemoryLimiter's shared timer and turns: in the fleet
                # bench (4 x 50 callers) the turns cost 0.01-0.02 of efficiency (0.96-0.97
                # against 0.985, measured when each acquisition was a script call of its own);
                # callers that wake together now share their next call (acquire_batch.py).
                room = time.monotonic() + seconds
                warm_in = patience.warm_in(seconds)
                if warm_in is not None:  # the caller's warm-up, base.WARM_LEAD before room
                    await sleep_until(room - seconds + warm_in)
                    patience.warm()
                await sleep_until(room)
                delay = _POLL_MIN
            else:
                # Another task's answer is awaited: ours wake us at once, other processes'
                # are noticed by polling, backing off so a slow answer costs little.
                await self._notifier.wait(generation, patience.bound(delay))
                delay = min(delay * 2, _POLL_MAX)

    async def _fallback_acquire(self, key_id: str, server: str, method: str, patience: Patience) -> MemoryTicket | None:
        """A fallback ticket, or None after ``_REJOIN`` s of waiting (the fallback's
        acquisition holds nothing while it waits, so giving up on it leaks nothing)."""
        stay = min(_REJOIN, patience.left())
        inner = Patience(stay, patience.warm_up)
        try:
            return await self.fallback._acquire(key_id, server, method, inner)
        except WaitTooLong as busy:
            if patience.left() <= stay:
                raise  # the caller's own patience is what ran out
            if busy.retry_after > stay:
                # Known to be far away: wait out this turn, then look at Redis again.
                await asyncio.sleep(stay)
            return None
        finally:
            patience.warm_up = inner.warm_up  # called in there: not again out here

    async def _run_acquire(self, keys: tuple[str, str]) -> Answer:
        """This caller's answer, from a script call shared with the callers queued meanwhile
        (acquire_batch.py). A sync lookup's throwaway loop queues on the process's I/O loop,
        so the sync callers of every thread share their calls too."""
        if on_throwaway_loop():
            return await relay(self._acquires.acquire(keys))
        return await self._acquires.acquire(keys)

    async def _send_acquire(self, keys: tuple[str, str], n: int) -> list[Answer]:
        """One ``acquire`` script call for ``n`` callers: their answers, admissions first."""
        spread = "1" if self.pacing == "spread" else "0"
        reply = await self._run_here(keys, ["acquire", spread] if n == 1 else ["acquire", spread, str(n)])
        parts = [part.decode() if isinstance(part, bytes) else part for part in reply]
        if parts[0] != "A":
            return [("W", parts[1], parts[2])] * n
        if n == 1:
            return [("A", parts[1], parts[2])]
        sent, count, seconds, flag = parts[1], int(parts[2]), parts[3], parts[4]
        return [("A", sent, marks) for marks in parts[5 : 5 + count]] + [("W", seconds, flag)] * (n - count)

    def _release(self, keys: tuple[str, str], answer: Answer) -> None:
        """Hand back an admission whose caller was cancelled meanwhile: sent, never answered."""
        orphan = asyncio.ensure_future(self._settle(RedisTicket(keys, answer[1], answer[2]), Feedback()))
        self._orphans.add(orphan)
        orphan.add_done_callback(self._orphans.discard)

    # -- settling ------------------------------------------------------------------------------

    async def _settle(self, ticket: RedisTicket, feedback: Feedback) -> None:
        if ticket.fallback is not None:
            self.fallback.settle_now(ticket.fallback, feedback)
            return
        assert ticket.keys is not None
        # Batched with the answers that queue meanwhile (record_batch.py), and shielded
        # there: a cancellation right here must not lose the answer or the probe hold.
        await self._records.record(ticket.keys, (ticket.sent, ticket.marks, orjson.dumps(feedback.as_json()).decode()))

    async def _send_records(self, keys: tuple[str, str], triples: list[str]) -> None:
        try:
            await self._run(keys, ["record", repr(self.share), *triples])
        except _UNAVAILABLE as exc:
            self._mark_down(exc)
