"""A daemon thread per process that calls ``flush`` every few seconds, and once at exit.

Started by the first event (not at import, not in ``ready()``), started again in a
forked child (gunicorn, Celery prefork): a thread does not survive ``fork``, and
what the parent buffered is the parent's to flush.
"""

from __future__ import annotations

import atexit
import os
import threading
import weakref
from collections.abc import Callable

__all__ = ["Periodic", "current"]

_live: weakref.WeakSet[Periodic] = weakref.WeakSet()


class _Process:
    """Which process this is, as a number the hot path can compare without a syscall.

    ``os.getpid()`` is a system call (glibc stopped caching it), which costs
    microseconds in sandboxed containers: a fork bumps this counter instead.
    """

    generation = 0


def _forked() -> None:
    _Process.generation += 1
    for periodic in list(_live):
        periodic._lock = threading.Lock()  # another thread may have held it at the fork


os.register_at_fork(after_in_child=_forked)


class Periodic:
    __slots__ = ("__weakref__", "_lock", "_stop", "flush", "name", "pid", "seconds")

    def __init__(self, flush: Callable[[], object], seconds: float, name: str) -> None:
        self.flush = flush
        self.seconds = seconds
        self.name = name
        self.pid = -1  # the process (generation) whose thread runs: compare with ``current()``
        self._lock = threading.Lock()
        self._stop = threading.Event()
        _live.add(self)

    def ensure(self, forked: Callable[[], object] | None = None) -> None:
        """Start the thread in this process if not yet running (``forked``: drop inherited buffers)."""
        pid = _Process.generation
        with self._lock:
            if self.pid == pid:
                return
            if self.pid != -1 and forked is not None:
                forked()
            self.pid = pid
            self._stop = threading.Event()
            threading.Thread(target=self._run, args=(self._stop,), name=self.name, daemon=True).start()

    def _run(self, stop: threading.Event) -> None:
        while not stop.wait(self.seconds):
            self.flush()

    def stop(self) -> None:
        self._stop.set()
        if self.pid == _Process.generation:
            self.flush()


def current() -> int:
    """This process's generation (changes in a forked child)."""
    return _Process.generation


@atexit.register
def _flush_at_exit() -> None:
    for periodic in list(_live):
        if periodic.pid == _Process.generation:
            periodic.flush()
