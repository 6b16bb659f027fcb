"""Keeping the garbage collector out of a dedicated emulator process's measurements.

The emulator stands in for Riot's edge, and a client measured against it pays every
pause of the emulator's event loop as latency Riot does not have. In a process that
serves only the emulator (``python -m pyot_django.testing``, ``manage.py
pyot_emulator``) the heap is mostly long-lived: Django, uvicorn, the example data.
CPython's full collection scans all of it, and one came in the middle of a window's
burst on most ``bench/ratelimit.py prod-wan`` runs (2026-12-04: 11.5 ms, with 1,855
objects collected), stalling every request in flight.

:func:`settle` collects what is garbage now and freezes the rest (``gc.freeze``): a
frozen object stays out of every later collection, which then scans only what the
process made since. The server calls it when it starts and at each reset (the start of
a measured run). It unfreezes first, so an object frozen at one reset that is garbage
by the next is collected then: nothing is held longer than one reset.

Never called in a process that also runs the caller's code (``serve_emulator`` in a
test's thread): freezing is a whole-process decision.
"""

from __future__ import annotations

import gc

__all__ = ["settle"]


def settle() -> None:
    """Collect the garbage, then exempt every surviving object from later collections."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
