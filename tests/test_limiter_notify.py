"""The limiters' ``Notifier``: waiters wake in turns, so the event loop reads its sockets between turns.

Why it matters: when a window opens, hundreds of callers wake together; if all ran in
one loop iteration the window's first answer (the limiter's close reference) would be
read only after every one of them had sent its request.
"""

from __future__ import annotations

import asyncio
import socket
import time

from pyot_django.limiters.notify import WAKE_TURN, Notifier


async def _waiters(notifier: Notifier, order: list[object], count: int) -> list[asyncio.Task[None]]:
    async def waiter(i: int) -> None:
        await notifier.wait(notifier.generation, 5)
        order.append(i)

    tasks = [asyncio.create_task(waiter(i)) for i in range(count)]
    await asyncio.sleep(0.01)  # all of them are waiting
    return tasks


async def test_notify_wakes_in_turns_and_the_loop_reads_a_socket_between_them() -> None:
    notifier = Notifier()
    order: list[object] = []
    tasks = await _waiters(notifier, order, 5 * WAKE_TURN)
    loop = asyncio.get_running_loop()
    readable, writable = socket.socketpair()
    try:
        loop.add_reader(readable, lambda: order.append("socket"))
        writable.send(b"x")  # readable before any waiter runs
        notifier.notify()
        await asyncio.wait_for(asyncio.gather(*tasks), 5)
        loop.remove_reader(readable)
    finally:
        readable.close()
        writable.close()
    woken = [entry for entry in order if entry != "socket"]
    assert sorted(woken) == list(range(5 * WAKE_TURN))  # every waiter woke
    assert "socket" in order[: 2 * WAKE_TURN + 1]  # read after a turn or two, not after all 40


async def test_notify_at_wakes_every_waiter_of_a_deadline_not_before_it() -> None:
    notifier = Notifier()
    order: list[object] = []
    tasks = await _waiters(notifier, order, 50)
    started = time.monotonic()
    deadline = started + 0.2
    for _ in tasks:
        notifier.notify_at(deadline)  # each caller asks; one timer serves them all
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert time.monotonic() >= deadline  # never before the deadline
    assert time.monotonic() - deadline < 0.1
    assert sorted(order) == list(range(50))  # type: ignore[type-var]
