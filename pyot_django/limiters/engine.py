"""The window algorithm shared by both limiters (the Lua script mirrors it line by line).

Riot's model, as the emulator implements it: for each ``limit:seconds`` window a
server window opens at the first counted request that *arrives* when none is open
and closes ``seconds`` later. The client cannot see arrival times, only when it sent
a request and when the answer came back, so every rule below is stated in those
terms and errs on the side of waiting:

* **Epochs.** A client window ("epoch") opens at the first send when none is open and
  admits at most ``limit`` requests.
* **Closing.** The server window holding the epoch's first arrival opened no later
  than any answer to a request of the epoch, so the epoch closes ``seconds`` after
  the *first answer* (not after the send, which would be early by the request's
  latency and earn 429s at every edge), plus a margin (:func:`close_after`): a
  fixed ``CLOSE_MARGIN`` and ``CLOCK_DRIFT`` per second of window, because Riot
  times the window on its own clock.
* **Spill.** A request sent late in an epoch, or delayed on its way (a busy event
  loop, a full connection pool), may arrive after that server window closed and
  open the next one. So an epoch cannot close while one of its requests is in
  flight, and an answer that comes after ``start + seconds`` reporting count 1 (it
  opened a server window) or no count pushes the close to ``answer + seconds``.
  Answers that come before ``start + seconds`` prove arrival inside the first
  server window; at full speed every answer does, so this costs nothing then.
* **Staleness.** An epoch whose answers never come (a crashed worker, a slot lost
  with a dead event loop) closes ``seconds + STALE`` after its last send anyway.
* **Lead.** An admission that opens a new epoch in any window of a scope goes out
  alone: the scope's other requests wait for its answer or for ``LEAD_HOLD``
  seconds, whichever comes first (an unanswered, failed or cancelled lead frees
  the hold at once, like the probe). Why: the first answer is the epoch's close
  reference, and a burst that starts with it can delay it (the server's queue
  fills with the burst's connections and requests before it answers the first).
  Why not longer: any answer of the epoch is as good a reference (the server
  window holding the epoch opened no later than any of its requests arrived), so
  over a long round trip the burst need not wait for the lead's — on a WAN with
  20-80 ms each way, waiting for it cost ~0.1 s a window and the earliest of the
  burst's answers comes sooner than the lead's. ``LEAD_HOLD`` is a loopback round
  trip with room to spare: the bench's ``prod`` lead answered in 2-25 ms. And not
  at all when the scope's fastest answer of its previous epoch took ``LEAD_HOLD``
  or longer: the lead's answer cannot come inside the hold, which would only delay
  the burst (the first arrival of a burst sent at once is the fastest of its way
  out, not the lead's).
* **Probe.** A scope whose limits are unknown lets one request through and holds
  the rest until its answer; the probe hold is a lease, so a lost probe frees itself.
* **Pause.** A 429 pauses the responsible scope for ``Retry-After + RETRY_MARGIN``
  (``Retry-After`` cut to ``PAUSE_CAP``: the store caps it earlier, at its
  ``MAX_RETRY_AFTER``), or for 1, 2, 4 … ``BACKOFF_CAP`` seconds when Riot did not say.
* **Re-seed.** When the limits change, on the first answer of a scope and after a
  429, window counts become ``max(ours, Riot's)`` and windows Riot reports as in use
  close ``seconds`` after that answer at the latest.

Times are floats in seconds from one clock: ``time.monotonic`` in process, Redis's
``TIME`` in the script.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .headers import APP, METHOD, Feedback, ScopeHeaders

__all__ = [
    "BACKOFF_CAP",
    "CLOCK_DRIFT",
    "CLOSE_MARGIN",
    "LEAD_HOLD",
    "PAUSE_CAP",
    "PROBE_LEASE",
    "RETRY_MARGIN",
    "STALE",
    "Admit",
    "Scope",
    "Wait",
    "Window",
    "acquire",
    "close_after",
    "effective_limit",
    "hold_left",
    "record",
]

CLOSE_MARGIN = 0.005
"""Seconds added after ``answer + window``: the server's timer granularity, not latency
(latency is already inside the answer's time)."""
CLOCK_DRIFT = 1e-4
"""Seconds added per second of window: Riot's clock may run slower than ours (100 ppm is
an undisciplined crystal's worst case: 1 ms on a 10 s window, 60 ms on a 600 s one)."""
RETRY_MARGIN = 0.1
"""Seconds added to ``Retry-After``, which Riot rounds to whole seconds."""
BACKOFF_CAP = 32.0
"""Longest pause after repeated 429s without ``Retry-After``."""
PAUSE_CAP = 900.0
"""Longest pause a ``Retry-After`` can impose on a scope, whoever reports it."""
PROBE_LEASE = 15.0
"""A probe not answered within this many seconds frees its hold (lost worker)."""
LEAD_HOLD = 0.02
"""Seconds an epoch's lead holds the scope's other requests unless its answer comes first (see Lead)."""
STALE = 5.0
"""An epoch with unanswered requests closes this long after ``last send + window``."""


def close_after(now: float, seconds: float) -> float:
    """When a window of ``seconds`` that opened no later than ``now`` is closed on Riot's clock too."""
    return now + seconds * (1.0 + CLOCK_DRIFT) + CLOSE_MARGIN


def effective_limit(limit: int, share: float) -> int:
    """The part of ``limit`` this deployment may use: ``floor(limit * share)``, at least 1."""
    return max(1, math.floor(limit * share + 1e-9))


@dataclass(slots=True)
class Window:
    """One ``limit:seconds`` window of a scope and its current epoch."""

    limit: int
    seconds: float
    count: int = 0
    start: float = 0.0
    end: float | None = None
    """When the epoch closes; ``None`` until the first answer."""
    last: float = 0.0
    inflight: int = 0
    epoch: int = 0

    def closed(self, now: float) -> bool:
        if self.count == 0 or now >= self.last + self.seconds + STALE:
            return True
        return self.end is not None and now >= self.end and self.inflight <= 0


@dataclass(slots=True)
class Scope:
    """Everything known about one app or method scope."""

    raw: str | None = None
    """The limit header last learned (``""``: Riot sends none); ``None``: unknown, probe."""
    windows: list[Window] = field(default_factory=list)
    probe: float = 0.0
    lead: float = 0.0
    """Until when the lone first request of ``lead_epoch`` holds the scope's other requests."""
    lead_epoch: int = 0
    pause: float = 0.0
    backoff: int = 0
    last_send: float = -math.inf
    round_trip: float = 0.0
    """The fastest answer of the last epoch that had one (seconds; 0 until known)."""
    fastest: float = -1.0
    """The fastest answer of the current epoch so far (-1: none yet)."""
    seq: int = 0
    base: int = 0
    """First epoch of this state: older marks were issued against state since lost (Redis)."""

    def interval(self) -> float:
        """Spacing for ``PACING="spread"``: the slowest window's ``seconds / limit``."""
        return max((w.seconds / w.limit for w in self.windows), default=0.0)


@dataclass(frozen=True, slots=True)
class Wait:
    """Not yet: retry after ``seconds``; if ``on_answer``, an answer may free room sooner
    than that bound can tell (a probe or a first answer is awaited)."""

    seconds: float
    on_answer: bool = False


Mark = tuple[int, ...] | None
"""Per scope: ``None`` for the probe, else the epoch of each window it was counted in."""


@dataclass(frozen=True, slots=True)
class Admit:
    """Admitted: what :func:`record` needs to undo or settle this request."""

    sent: float
    marks: tuple[Mark, Mark]


def hold_left(scopes: tuple[Scope, Scope], now: float) -> float:
    """Seconds until the last lead hold of ``scopes`` ends (0: none holds them)."""
    return max(0.0, scopes[0].lead - now, scopes[1].lead - now)


def acquire(scopes: tuple[Scope, Scope], now: float, spread: bool) -> Admit | Wait:
    """Admit one request into both scopes at ``now``, or say how long to wait.

    All or nothing: nothing is taken unless every window of both scopes has room.
    """
    wait, on_answer = 0.0, False
    for scope in scopes:
        if now < scope.pause:
            wait = max(wait, scope.pause - now)
            continue
        if scope.raw is None:
            on_answer = on_answer or scope.probe > now
            continue
        if scope.lead > now:
            on_answer = True
        for w in scope.windows:
            if w.closed(now) or w.count < w.limit:
                continue
            if w.end is not None and w.inflight <= 0:
                wait = max(wait, w.end - now)
            else:
                # The close is no earlier than this bound; an answer tells when it is.
                on_answer = True
                bound = w.end if w.end is not None else w.start + w.seconds
                wait = max(wait, min(bound, w.last + w.seconds + STALE) - now)
        if spread:
            wait = max(wait, scope.last_send + scope.interval() - now)
    if wait > 0 or on_answer:
        return Wait(max(wait, 0.0), on_answer)

    marks: list[Mark] = []
    for scope in scopes:
        if scope.raw is None:
            scope.probe = now + PROBE_LEASE
            marks.append(None)
            continue
        taken: list[int] = []
        opened = False
        for w in scope.windows:
            if w.closed(now):
                scope.seq += 1
                w.count, w.start, w.end, w.inflight, w.epoch = 0, now, None, 0, scope.seq
                opened = True
            w.count += 1
            w.last = now
            w.inflight += 1
            taken.append(w.epoch)
        if opened:
            if scope.fastest >= 0:
                scope.round_trip, scope.fastest = scope.fastest, -1.0
            if scope.round_trip < LEAD_HOLD:
                scope.lead, scope.lead_epoch = now + LEAD_HOLD, scope.seq
        scope.last_send = now
        marks.append(tuple(taken))
    return Admit(now, (marks[0], marks[1]))


def _settle(scope: Scope, mark: tuple[int, ...], headers: ScopeHeaders, answered: bool, now: float) -> None:
    """Close or extend the epochs a counted request belonged to."""
    windows = scope.windows
    for epoch in mark:
        for w in windows:
            if w.epoch == epoch:
                break
        else:
            continue  # closed, or rebuilt since: nothing waits on it
        w.inflight -= 1
        if answered and w.end is None:
            w.end = close_after(now, w.seconds)
        if now < w.start + w.seconds or w.end is None:
            continue
        # Late: read the reported count (parsed only now; most answers are not late).
        count = headers.count_for(int(w.seconds)) if answered else None
        if count in (None, 1):
            # It may have arrived after the server window closed and opened the next one.
            w.end = max(w.end, close_after(now, w.seconds))


def _reseed(scope: Scope, headers: ScopeHeaders, counted: bool, sent: float, now: float, share: float) -> None:
    """Adopt the reported limits and take Riot's counts where they exceed ours."""
    old = {w.seconds: w for w in scope.windows if not w.closed(now)}
    windows: list[Window] = []
    for limit, seconds in headers.limits:
        reported = headers.count_for(seconds)
        # An uncounted request (the probe) was counted by Riot even without a count header.
        reported = max(reported or 0, 0 if counted else 1)
        w = old.get(float(seconds))
        if w is not None:
            w.limit = effective_limit(limit, share)
            w.count = max(w.count + (0 if counted else 1), reported)
            if reported and w.end is not None:
                w.end = max(w.end, close_after(now, seconds))
        else:
            w = Window(effective_limit(limit, share), float(seconds))
            if reported:
                scope.seq += 1
                w.count, w.epoch, w.last = reported, scope.seq, now
                w.end = close_after(now, seconds)
                # Count 1: this request opened Riot's window, no earlier than it was sent.
                # Otherwise it may have opened a full window ago: every answer is "late".
                w.start = sent if reported == 1 else now - seconds
        windows.append(w)
    scope.windows = windows
    scope.raw = headers.raw or ""
    scope.last_send = max(scope.last_send, sent)  # the probe counts for spread pacing too


def record(scopes: tuple[Scope, Scope], admit: Admit, feedback: Feedback, now: float, share: float) -> None:
    """Learn from the answer to an admitted request (``feedback.status is None``: none)."""
    answered = feedback.status is not None
    for index, scope in enumerate(scopes):
        mark = admit.marks[index]
        headers = feedback.scopes[index]
        if mark is None:
            scope.probe = 0.0
        elif scope.lead_epoch in mark:
            scope.lead = 0.0  # the lead (or a request after its lease): its answer or failure is in
        if mark is not None and scope.raw is not None:
            _settle(scope, mark, headers, answered, now)
        if not answered:
            continue
        took = now - admit.sent
        scope.fastest = took if scope.fastest < 0 else min(scope.fastest, took)
        counted = mark is not None and scope.raw is not None and (not mark or mark[0] >= scope.base)
        if headers.raw is not None:
            if not counted or headers.raw != scope.raw or feedback.status == 429:
                _reseed(scope, headers, counted, admit.sent, now, share)
        elif scope.raw is None and feedback.status is not None and feedback.status < 500 and feedback.status != 429:
            scope.raw, scope.windows = "", []  # a normal answer without limits: none apply

    if feedback.status == 429:
        target = scopes[APP if feedback.limit_type == "application" else METHOD]
        if feedback.retry_after is not None:
            pause = min(feedback.retry_after, PAUSE_CAP) + RETRY_MARGIN
        else:
            pause = min(2.0**target.backoff, BACKOFF_CAP)
            target.backoff += 1
        target.pause = max(target.pause, now + pause)
    elif answered:
        for scope in scopes:
            scope.backoff = 0
