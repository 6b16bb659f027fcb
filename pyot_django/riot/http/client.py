"""``HttpClient``: every service store's way to the network (caller → store → client → limiter → transport).

One client per store. It owns the connection pools, the attempt loop (retries per
status, ``Retry-After``, backoff), the per-attempt ``TIMEOUT``, the per-lookup
deadline, the response size limit, body validation, and the limiter slot. With no
``secret`` and no ``limiter`` it serves keyless static-data hosts (Data Dragon,
CommunityDragon, Meraki) just the same.

Bounds, each one documented where its option is: an attempt ends within ``timeout``
seconds (connect, send, headers and the whole body); a wait before a retry is at most
``MAX_BACKOFF`` or the capped ``Retry-After``; a body is at most ``max_response_size``
bytes; and with a deadline (the ``DEADLINE`` option or the caller's
``current_deadline``, the tighter wins) nothing waits past it: a limiter slot, a
``Retry-After`` or a backoff that would end later fails at once with ``retry_after``
saying when trying again makes sense.

Errors are raised outside ``except`` blocks on purpose, so none chains a
third-party exception (whose frames hold the request headers).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from ...exceptions import (
    InvalidResponse,
    NotFound,
    PyotError,
    RateLimited,
    ResponseTooLarge,
    RiotError,
    ServerError,
    Timeout,
    error_for_status,
)
from ..deadline import Deadline, current_deadline, tightest
from ..retry import TIMEOUT_STATUS, Strategy
from .attempt import Call
from .body import decode
from .io_loop import io_loop, on_throwaway_loop, relay
from .pools import LoopClients
from .retry_after import DEFAULT_MAX_RETRY_AFTER, RetryAfterCap
from .transport import Answer, BodyTooLarge, TransportFailure, new_pool, send, send_with_session

if TYPE_CHECKING:
    import httpx

    from ...limiters.base import Limiter, WaitTooLong
    from .secret import Secret

__all__ = ["DEFAULT_MAX_RESPONSE_SIZE", "DEFAULT_TIMEOUT", "HttpClient"]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RESPONSE_SIZE = 16 * 1024 * 1024
"""Bytes: room for the largest real payload (a match timeline is up to ~0.9 MB) many times over."""

_RETRY_AFTER_STATUSES = (429, 503)
_WARMING: set[asyncio.Task[bool] | concurrent.futures.Future[bool]] = set()
"""Connections opening ahead of their requests (``HttpClient._warm_up``)."""


class HttpClient:
    """Sends requests for one store; see the module docstring for what it bounds."""

    def __init__(
        self,
        *,
        strategies: Mapping[int, Strategy],
        secret: Secret | None = None,
        limiter: Limiter[Any] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
        log_level: int = logging.DEBUG,
        logger: logging.Logger | None = None,
        limiter_scope: str | None = None,
        label: str = "-",
    ) -> None:
        self.strategies = strategies
        self.secret = secret
        # The limiter's app scope: the key's identity; a keyless client names its host
        # (e.g. "ddragon"), so a 429 from one CDN does not pause another sharing the Redis.
        self.key_id = limiter_scope or (secret.identity if secret is not None else "nokey")
        self.limiter = limiter
        self.timeout = float(timeout)
        self.deadline = deadline
        self.max_response_size = int(max_response_size)
        self.retry_after = RetryAfterCap(max_retry_after)
        self.log_level = log_level
        self.logger = logger or logging.getLogger("pyot_django.riot")
        self.pools = LoopClients(new_pool)
        self.label = label
        """Who this client serves (a pipeline's name): the ``pipeline`` label of its metrics and log lines."""

    async def request(
        self,
        verb: str,
        url: str,
        *,
        server: str,
        method: str,
        content: bytes | None = None,
        returns: str | None = "object",
        session: httpx.AsyncClient | None = None,
    ) -> Any:
        """Send until a usable answer, following the strategies; the decoded JSON value.

        ``server`` and ``method`` label the limiter scopes, the log lines and the errors;
        ``returns`` is the JSON type a 2xx body must be (``Endpoint.returns``; None: any
        value but null).
        """
        own = Deadline(self.deadline) if self.deadline is not None else None
        call = Call(verb, url, server, method, content, returns, session, tightest(current_deadline.get(), own))
        while True:
            call.started = time.perf_counter()
            outcome = await self._attempt(call)
            if not isinstance(outcome, _Failed):
                return outcome
            error = outcome.error
            wait = None if outcome.final else call.next_wait(self.strategies, outcome.status, outcome.retry_after)
            if wait is not None and call.past_deadline(wait.seconds):
                if isinstance(error, RiotError) and error.retry_after is None:
                    error.retry_after = wait.seconds
                wait = None
            if wait is None:
                raise error
            self.logger.warning(
                "%s %s %s: %s; retry %d/%d in %.2f s",
                verb,
                server,
                method,
                error,
                wait.number,
                wait.strategy.retries,
                wait.seconds,
                # observe: fields (issue 13)
                extra=_observe().log_fields(self.label, method, server, status=outcome.status, retry_in=wait.seconds),
            )
            if wait.seconds:
                await asyncio.sleep(wait.seconds)

    async def _attempt(self, call: Call) -> Any:
        """One attempt: the decoded value, or a :class:`_Failed` saying what went wrong."""
        labels = _Labels(method=call.method, server=call.server)
        try:
            answer, retry_after = await self._send(call)
        except TransportFailure as failure:
            if failure.timed_out:
                return _Failed(Timeout(status=TIMEOUT_STATUS, cause=failure.cause, **labels), TIMEOUT_STATUS)
            return _Failed(ServerError(status=502, cause=failure.cause, **labels), TIMEOUT_STATUS)
        except _Deadline as passed:
            return _Failed(passed.error(labels), TIMEOUT_STATUS, final=True)
        except BodyTooLarge as big:
            size = f"Content-Length {big.declared}" if big.declared is not None else "the body"
            too_large = ResponseTooLarge(
                f"{size} is over MAX_RESPONSE_SIZE ({big.limit} bytes)", status=big.status, **labels
            )
            return _Failed(too_large, big.status, final=True)
        self._log(call, answer.status)
        _observe().riot_answer(self.label, call.method, call.server, answer, call.started)  # observe: hook (issue 13)
        status = answer.status
        if status < 300:
            value, reason = decode(answer.content, call.returns)
            if reason is None:
                return value
            # Retried like a 500: a truncated or garbled answer may come out right next time.
            return _Failed(InvalidResponse(f"{reason}", status=status, **labels), 500)
        error = error_for_status(status, _riot_message(answer), **labels)
        if isinstance(error, NotFound):
            return _Failed(error, status, final=True)
        assert isinstance(error, RiotError)
        if retry_after is not None:
            error.retry_after = retry_after
        return _Failed(error, status, retry_after)

    async def _send(self, call: Call) -> tuple[Answer, float | None]:
        """The answer and its ``Retry-After`` (parsed once: the limiter and the retry share it)."""
        limiter = self.limiter
        if limiter is None:
            answer = await self._timed(call)
            return answer, self._retry_after(answer, call)
        waiting = time.perf_counter()
        try:
            warm_up = None if call.session is not None else self._warm_up(call.url)
            async with limiter.slot(
                self.key_id, call.server, call.method, max_wait=call.max_wait(), warm_up=warm_up
            ) as slot:
                _observe().limiter_waited(self.label, call.server, call.method, waiting)  # observe: hook (issue 13)
                answer = await self._timed(call)
                retry_after = self._retry_after(answer, call)
                await slot.record(answer.status, answer.headers, retry_after=retry_after)
                return answer, retry_after
        except _wait_too_long() as busy:  # raised before the slot was taken: nothing to give back
            raise _Deadline(busy.retry_after) from None

    def _warm_up(self, url: str) -> Callable[[], None]:
        """The limiter's warm-up hook for a request to ``url``: open its connection meanwhile,
        in the pools it will be sent from (a sync caller's: the I/O loop's, see ``_timed``)."""

        def start() -> None:
            warming = self.pools.warm(url, self.timeout)
            if on_throwaway_loop():
                relayed = asyncio.run_coroutine_threadsafe(warming, io_loop())
                _WARMING.add(relayed)
                relayed.add_done_callback(_WARMING.discard)
                return
            task = asyncio.get_running_loop().create_task(warming)
            _WARMING.add(task)  # a task nobody references may be collected before it runs
            task.add_done_callback(_WARMING.discard)

        return start

    async def _timed(self, call: Call) -> Answer:
        budget = call.budget(self.timeout)
        if budget <= 0:
            raise _Deadline(None)
        try:
            async with asyncio.timeout(budget):
                if call.session is not None:
                    return await send_with_session(
                        call.session, call.verb, call.url, self.secret, call.content, self.max_response_size
                    )
                if on_throwaway_loop():  # a sync caller's loop of one call: send from pools that last
                    return await relay(self._pooled_send(call))
                return await self._pooled_send(call)
        except TimeoutError:
            cut_by_deadline = call.deadline is not None and call.deadline.expired
        if cut_by_deadline:
            raise _Deadline(None)
        raise TransportFailure("AttemptTimeout", timed_out=True)  # TIMEOUT passed: connect..last body byte

    async def _pooled_send(self, call: Call) -> Answer:
        """One request on a connection of the running loop's pools."""
        shard = await self.pools.acquire()
        try:
            return await send(
                shard.client,
                call.verb,
                call.url,
                self.secret,
                call.content,
                self.timeout,
                self.max_response_size,
            )
        finally:
            self.pools.release(shard)

    def _retry_after(self, answer: Answer, call: Call) -> float | None:
        if answer.status not in _RETRY_AFTER_STATUSES:
            return None
        return self.retry_after(answer.headers.get("retry-after"), where=f"{call.server} {call.method}")

    def _log(self, call: Call, status: int) -> None:
        if self.logger.isEnabledFor(self.log_level):
            self.logger.log(
                self.log_level,
                "%s %s %s %d %.0f ms",
                call.verb,
                call.server,
                call.method,
                status,
                (time.perf_counter() - call.started) * 1000,
            )

    async def aclose(self) -> None:
        await self.pools.aclose()
        if self.limiter is not None:
            await self.limiter.aclose()


class _Labels(TypedDict):
    """What every error of an attempt is labelled with."""

    method: str
    server: str


class _Failed:
    """An attempt that did not give a value: the error, the status whose strategy applies."""

    __slots__ = ("error", "final", "retry_after", "status")

    def __init__(self, error: PyotError, status: int, retry_after: float | None = None, *, final: bool = False):
        self.error = error
        self.status = status
        self.retry_after = retry_after
        self.final = final


class _Deadline(Exception):
    """The call's deadline ends before the next step could (``retry_after``: the limiter's estimate)."""

    def __init__(self, retry_after: float | None) -> None:
        super().__init__("deadline")
        self.retry_after = retry_after

    def error(self, labels: _Labels) -> RiotError:
        if self.retry_after is not None:
            return RateLimited(
                f"the rate limiter has room in {self.retry_after:.2f} s, after the deadline",
                cause="deadline",
                retry_after=self.retry_after,
                **labels,
            )
        return Timeout("the lookup's deadline passed", status=TIMEOUT_STATUS, cause="deadline", **labels)


_events: Any = None


def _observe() -> Any:
    # Imported on first use: observe.events imports the pipeline, which imports the stores and
    # this client. Kept afterwards: this runs two or three times per request.
    global _events
    if _events is None:
        from ...observe import events

        _events = events
    return _events


_WaitTooLong: type[WaitTooLong] | None = None


def _wait_too_long() -> type[WaitTooLong]:
    # Imported on first use: limiters.headers imports this package (a cycle at import time).
    global _WaitTooLong
    if _WaitTooLong is None:
        from ...limiters.base import WaitTooLong

        _WaitTooLong = WaitTooLong
    return _WaitTooLong


def _riot_message(answer: Answer) -> str:
    import orjson

    try:
        return str(orjson.loads(answer.content)["status"]["message"])[:200]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return ""
