"""Which store answered each lookup, and how long it took.

``with trace_lookups() as trace:`` records every ``Pipeline.get`` made in the
block (in this task and the tasks it starts), so a view can show the
Memory → Cache → ORM → Riot path of each piece of data. Outside such a block the
only cost is one context-variable read per lookup.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["LookupRecord", "Trace", "TraceSink", "current_trace", "trace_lookups"]


# Not frozen: a frozen dataclass's __init__ goes through object.__setattr__ per field,
# which made building a record cost more than the Memory hit it describes. Treat records
# as read-only all the same.
@dataclass(slots=True)
class LookupRecord:
    """One lookup: the token's key, the store that supplied it (None: failed), and timing."""

    pipeline: str
    method: str
    server: str
    key: str
    store_index: int | None
    store_name: str | None
    seconds: float
    error: str | None = None
    shared: bool = False  # answered by another caller's in-flight lookup


class TraceSink(Protocol):
    """What the pipeline reports each lookup to: a :class:`Trace`, or the observer's recorder
    (``pyot_django.observe.events``), which only counts and passes reports on to its parent."""

    def add(self, record: LookupRecord) -> None: ...

    def answered(self, pipeline: Any, token: Any, index: int | None, started: float, shared: bool = False) -> None: ...


@dataclass
class Trace:
    records: list[LookupRecord] = field(default_factory=list)
    # The trace that was current when this one opened: it sees these records too, so a
    # view's own trace and the debug toolbar's request-wide one both list every lookup.
    parent: TraceSink | None = field(default=None, repr=False)

    def add(self, record: LookupRecord) -> None:
        self.records.append(record)
        if self.parent is not None:
            self.parent.add(record)

    def answered(self, pipeline: Any, token: Any, index: int | None, started: float, shared: bool = False) -> None:
        """Store ``index`` of ``pipeline`` (None with ``shared``: another caller's flight) answered ``token``.

        The pipeline reports answers this way rather than with a built record, so a
        trace that only counts (the observer's) need not build one.
        """
        self.add(pipeline._record(token, index, started, shared=shared))

    def by_store(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for record in self.records:
            name = record.store_name or "error"
            counts[name] = counts.get(name, 0) + 1
        return counts


current_trace: ContextVar[TraceSink | None] = ContextVar("pyot_django_trace", default=None)


@contextmanager
def trace_lookups() -> Iterator[Trace]:
    trace = Trace(parent=current_trace.get())
    reset = current_trace.set(trace)
    try:
        yield trace
    finally:
        current_trace.reset(reset)
