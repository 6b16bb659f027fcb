"""What ``RedisLimiter``'s two group commits share: a queue per event loop and scope pair, drained by one task.

The first item of a queue starts the task that sends it at once; items that arrive
while a call is in flight wait for the next call, and go together (see
:mod:`.record_batch` and :mod:`.acquire_batch`).
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Generic, TypeVar

__all__ = ["GroupCommit", "Keys", "Queue"]

Keys = tuple[str, str]
Item = TypeVar("Item")


class Queue(Generic[Item]):
    __slots__ = ("flushing", "items")

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.flushing = False  # a task is draining it


class GroupCommit(Generic[Item]):
    """Per event loop and scope pair, the items waiting for the next call; ``_flush`` drains them."""

    def __init__(self) -> None:
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Keys, Queue[Item]]] = (
            weakref.WeakKeyDictionary()
        )
        self._tasks: set[asyncio.Task[None]] = set()

    def _enqueue(self, keys: Keys, item: Item) -> None:
        """Queue ``item`` on the running loop; start the draining task unless one runs."""
        loop = asyncio.get_running_loop()
        queues = self._queues.get(loop)
        if queues is None:
            queues = self._queues[loop] = {}
        queue = queues.get(keys)
        if queue is None:
            queue = queues[keys] = Queue()
        queue.items.append(item)
        if not queue.flushing:
            queue.flushing = True
            task = loop.create_task(self._flush(keys, queue))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _flush(self, keys: Keys, queue: Queue[Item]) -> None:
        raise NotImplementedError
