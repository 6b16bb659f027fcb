"""Group commit for ``RedisLimiter``'s answers: one script call for the answers that queue meanwhile.

Every answer used to cost its own ``EVALSHA record``; in a window's burst that is 500
calls (and ~80 µs of this process's CPU each, in redis-py) at the moment CPU decides
how fast the burst goes. Here the first answer of a scope pair is sent at once, as
before; answers that arrive while that call is in flight queue up and go together in
the next call, applied by the script in order. So nothing waits longer than one call
that was already under way, and a quiet process pays exactly what it paid before.

A caller that is cancelled while its answer waits does not take the answer back: the
batch goes out anyway (the old code shielded each call for the same reason).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from .group_commit import GroupCommit, Keys, Queue

__all__ = ["MAX_BATCH", "RecordBatches"]

MAX_BATCH = 64
"""Answers per script call at most (a call's arguments stay small)."""

Send = Callable[[Keys, list[str]], Awaitable[None]]
_Item = tuple[Sequence[str], "asyncio.Future[None]"]


class RecordBatches(GroupCommit[_Item]):
    """Per event loop and scope pair, the answers waiting for the next script call."""

    def __init__(self, send: Send, done: Callable[[], None]) -> None:
        super().__init__()
        self._send = send  # one call for a batch: (keys, the batch's arguments one after another)
        self._done = done  # after each batch: wake this process's waiters

    async def record(self, keys: Keys, args: Sequence[str]) -> None:
        """Queue one answer's arguments; return once a call carrying them has ended."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._enqueue(keys, (args, future))
        await asyncio.shield(future)

    async def _flush(self, keys: Keys, queue: Queue[_Item]) -> None:
        try:
            while queue.items:
                batch, queue.items = queue.items[:MAX_BATCH], queue.items[MAX_BATCH:]
                try:
                    await self._send(keys, [arg for args, _ in batch for arg in args])
                except BaseException as exc:
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                else:
                    for _, future in batch:
                        if not future.done():
                            future.set_result(None)
                finally:
                    self._done()
        finally:
            queue.flushing = False
            for _, future in queue.items:  # cancelled with answers still queued (the loop is ending)
                if not future.done():
                    future.cancel()
            queue.items = []
