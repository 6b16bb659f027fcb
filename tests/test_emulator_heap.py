"""A dedicated emulator process settles its heap when it starts and at each reset (``testing/heap.py``).

A full collection of a long-lived heap stalled the emulator 11.5 ms in the middle of a
window's burst; settling (collect, then freeze the survivors) keeps old objects out of
the collections that come during a run. Only where the emulator owns its process: in a
test's own process, freezing would be a decision about the caller's heap.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from pyot_django.testing import Emulator
from pyot_django.testing.heap import settle


class _Node:
    me: _Node | None = None


def _cycle() -> _Node:
    node = _Node()
    node.me = node  # only the collector can free it
    return node


@pytest.fixture
def quiet_collector() -> Iterator[None]:
    """No automatic collection in between (so "still there" is certain), nothing left frozen."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


@pytest.mark.usefixtures("quiet_collector")
def test_a_reset_of_an_emulator_that_owns_its_process_collects_then_freezes() -> None:
    emulator = Emulator(settle_heap=True)
    garbage = weakref.ref(_cycle())
    assert garbage() is not None
    emulator.reset()
    assert garbage() is None  # collected at the reset, not in the run that follows
    assert gc.get_freeze_count() > 0  # the survivors are out of later collections


@pytest.mark.usefixtures("quiet_collector")
def test_an_emulator_in_the_callers_process_leaves_its_heap_alone() -> None:
    gc.unfreeze()
    garbage = weakref.ref(_cycle())
    Emulator().reset()
    assert garbage() is not None
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("quiet_collector")
def test_an_object_frozen_at_one_settle_is_collected_at_the_next() -> None:
    holder = [_cycle()]
    alive = weakref.ref(holder[0])
    settle()  # frozen while alive
    holder.clear()  # garbage now, in the permanent generation
    gc.collect()
    assert alive() is not None  # no collection looks at a frozen object...
    settle()
    assert alive() is None  # ...until the next settle unfreezes it first: nothing held past one reset
