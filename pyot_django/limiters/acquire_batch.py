"""Group commit for ``RedisLimiter``'s acquisitions: one script call for the callers that queue meanwhile.

When a window opens, every caller of a process that waited for it wakes within a
millisecond or two and asks the script for a slot: with one ``EVALSHA`` each, that is
the process's 50 or 200 callers' worth of Redis round trips (write, read, parse: most
of the client's CPU per request in the ``fleet`` bench) at the moment CPU decides how
fast the burst goes. Here the first caller of a scope pair asks at once, as before;
callers that ask while that call is in flight queue up and go together in the next
call (``acquire`` with ``n``), which admits them in turn by the same rules as ``n``
calls in a row would, in one atomic step. So nobody waits longer than one call that
was already under way, and a quiet process pays what it paid before.

A caller cancelled while its call is in flight gives its place up: the admissions go
to the live callers of the batch first, and one nobody is left to take is handed
back at once (``release``), as an unanswered request (its slot counted, no answer).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from .group_commit import GroupCommit, Keys, Queue

__all__ = ["MAX_BATCH", "AcquireBatches", "Answer"]

MAX_BATCH = 64
"""Callers per script call at most (a call's reply stays small)."""

Answer = tuple[str, str, str]
"""``("A", sent, marks)`` or ``("W", seconds, flag)``: one caller's part of a reply."""
Send = Callable[[Keys, int], Awaitable[list[Answer]]]
Release = Callable[[Keys, Answer], None]


class AcquireBatches(GroupCommit["asyncio.Future[Answer]"]):
    """Per event loop and scope pair, the callers waiting for the next ``acquire`` call."""

    def __init__(self, send: Send, release: Release) -> None:
        super().__init__()
        self._send = send  # one call for n callers: their answers, admissions first
        self._release = release  # an admission whose caller is gone

    async def acquire(self, keys: Keys) -> Answer:
        """This caller's answer from the next call that carries it."""
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._enqueue(keys, future)
        return await future  # cancelled: the future is, and _flush hands its admission on

    async def _flush(self, keys: Keys, queue: Queue[asyncio.Future[Answer]]) -> None:
        try:
            while queue.items:
                live = [future for future in queue.items if not future.done()]
                batch, rest = live[:MAX_BATCH], live[MAX_BATCH:]
                queue.items = rest
                if not batch:
                    continue
                try:
                    answers = await self._send(keys, len(batch))
                except BaseException as exc:
                    for future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                self._hand_out(keys, batch, answers)
        finally:
            queue.flushing = False
            for future in queue.items:  # cancelled with callers still queued (the loop is ending)
                future.cancel()
            queue.items = []

    def _hand_out(self, keys: Keys, batch: list[asyncio.Future[Answer]], answers: list[Answer]) -> None:
        """The admissions to the callers still waiting, in queue order; the wait to the others.

        ``answers`` holds one answer per caller of the batch, admissions first (the script
        admits in turn and stops at the first wait, which holds for everyone after it).
        """
        admitted = [answer for answer in answers if answer[0] == "A"]
        wait = next((answer for answer in answers if answer[0] != "A"), None)
        for future in batch:
            if future.done():  # cancelled while the call was in flight
                continue
            if admitted:
                future.set_result(admitted.pop(0))
            else:
                assert wait is not None, "the script answers every caller of a batch"
                future.set_result(wait)
        for answer in admitted:  # more admissions than callers left: not needed, hand them back
            self._release(keys, answer)
