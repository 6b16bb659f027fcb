"""Rate-limit efficiency against the emulator's own window rules: ours, pulsefire 2.0.30, Pyot 6.0.9.

Every request is a distinct cold ``summoner-v4.getByPUUID`` token on ``na1`` (one app
scope, one method scope), sent by C concurrent callers through the client's own rate
limiter, against one emulator process with limits enforced. Scenarios:

- ``dev``: 1 process x 64 callers, app ``20:1,100:10``, method ``2000:10``, 400 tokens;
- ``prod``: 1 process x 200 callers, app ``500:10,30000:600``, method ``2000:10``, 1,500 tokens;
- ``fleet``: 4 OS processes x 50 callers sharing one ``RedisLimiter`` (Redis db 10), the
  ``prod`` limits, 1,500 tokens split 375 per process;
- ``dev-wan`` / ``prod-wan``: ``dev`` / ``prod`` over a WAN: the emulator's ``wan_delay``
  makes each request wait uniform 20-80 ms before it is counted and 20-80 ms before its
  answer is recorded (so T includes the last answer's way back);
- ``cpu``: 1 x 50 callers, 3,000 tokens, limits counted but not enforced and far above the
  run: the client's CPU seconds (``time.process_time`` in its process while the callers
  ran) per request.

Besides efficiency, each row shows where the time went: the idle gap after each
binding window closed until the next window's first success, and how long the last
window's burst took (first to last success).

Clients (each in its own process, ``bench/peers/driver.py``): ours is ``pipeline.get``
through a pipeline whose only store is ``pyot_django.stores.RiotAPI`` (``MemoryLimiter``
in one process, ``RedisLimiter`` in the fleet); pulsefire is ``RiotAPIClient`` with
its default ``rate_limiter_middleware(RiotAPIRateLimiter())``; Pyot 6 is a pipeline with
its ``RiotAPI`` store and ``MemoryLimiter`` or ``RedisLimiter``. The peers are installed
from PyPI into ``bench/.venvs/<name>`` (reused when present; pulsefire 2.0.30 needs
Python >= 3.12, so its venv is made with the first such interpreter found). The
emulator accepts only the run's API key (``api_keys``), so a client that does not send
it in ``X-Riot-Token`` gets 401/403, and a path that is not
``/{server}/lol/summoner/v4/summoners/by-puuid/{puuid}`` gets 404: both would show in
the "check" column. The emulator is reset (fresh windows, fresh stats) before each run.

Measured, from the emulator's stats: requests completed (200s), 429s by
``X-Rate-Limit-Type``, and T = ``last_success_at - first_request_at`` (the first request
the emulator saw to the last success). **Efficiency = t_min / T.**

t_min, the perfect client, is computed by simulating the emulator's window model
(``pyot_django/testing/ratelimits.py``): every ``limit:seconds`` window of the app scope
and of the method scope is FIXED — it opens at the first counted request when none is
open and closes ``seconds`` later (a request at exactly the close opens the next one);
a request is admitted only if every window has count < limit, and then counts 1 in all
of them. The perfect client knows the limits, sends each request at the earliest
instant every window admits it, and has zero latency, so its first request is at 0
and its last success at the instant of its last send: t_min is that instant. For these
scenarios the simulation gives 34 s for ``dev`` (20 per second for 5 s, then the 100:10
window blocks until 10 s, 20 s and 30 s: the 400th request goes at 34 s) and 20 s for
``prod`` and ``fleet`` (500 at 0, 10 and 20 s). It charges nothing for the probe, for
latency or for the emulator's own processing time: every client pays those in T.

Over a WAN not even a perfect client reaches t_min: with ``C`` callers the last
window's burst takes several round trips. For the WAN scenarios the summary adds the
efficiency of an oracle (:func:`t_wan`: it knows every request's delays and wastes no
time at any boundary), the ceiling any client has there, and of a blind client
(:func:`t_blind`: it learns each window from answers, as the limiter engine does, and
costs no CPU), the ceiling of a client that cannot see the delays and never risks a 429.

The emulator stands in for Riot's edge, which never shares the client's CPU; on one
machine the scheduler would often run both on one core (a loopback write wakes the
reader where the writer runs) and the client's burst at a window's boundary would wait
behind the emulator's work (measured 2026-12-04 on 2 vCPUs: 9 of 24 ms of a burst spent
runnable, not running). So on Linux with two CPUs or more, the emulator runs on the
last CPU and every client process on the others (:func:`place`), the same for every
client; the header line says which.

Targets: zero application/method 429s; efficiency >= 0.98 in ``dev`` and ``prod``,
>= 0.95 in ``fleet``.

    .venv/bin/python bench/ratelimit.py [--scenario dev,prod,fleet,dev-wan,prod-wan,cpu]
        [--clients ours,pulsefire,pyot] [--repeat 3]   # rounds alternate the clients' order

``PYOT_BENCH_RL_REDIS`` overrides the Redis of the fleet runs (default db 10 on 6379).

In the fleet, Pyot 6 runs its ``RedisLimiter`` (same Redis db) and pulsefire, which has no
Redis limiter, its own way of sharing limits: every process's ``RiotAPIRateLimiter``
proxies to one ``RiotAPIRateLimiter().serve()`` process started for the run. The driver
hands that proxy the header names capitalised as Riot writes them (``X-App-Rate-Limit``):
the emulator sends them lowercase, which the proxy server's case-sensitive lookup misses
(it then treats the key as unlimited). Pyot 6.0.9's RiotAPI store has no base-URL
option: the driver sets ``RiotAPIEndpoint.base_url`` to the emulator's.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import heapq
import itertools
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

DRIVER = BENCH / "peers" / "driver.py"
VENVS = BENCH / ".venvs"
REDIS_URL = os.environ.get("PYOT_BENCH_RL_REDIS", "redis://127.0.0.1:6379/10")
REDIS_PREFIX = "pyotbench:rl"
OPERATION = "summoner-v4.getByPUUID"


@dataclass(frozen=True)
class Scenario:
    name: str
    app_limits: str
    method_limits: str
    tokens: int
    processes: int
    callers: int  # per process
    wan: tuple[float, float] | None = None  # the emulator's one-way delay each way (wan_delay)
    enforce: bool = True  # False: limits counted, never enforced (the CPU scenario)

    @property
    def measures_cpu(self) -> bool:
        return not self.enforce


WAN = (0.02, 0.08)
SCENARIOS = {
    "dev": Scenario("dev", "20:1,100:10", "2000:10", 400, 1, 64),
    "prod": Scenario("prod", "500:10,30000:600", "2000:10", 1500, 1, 200),
    "fleet": Scenario("fleet", "500:10,30000:600", "2000:10", 1500, 4, 50),
    "dev-wan": Scenario("dev-wan", "20:1,100:10", "2000:10", 400, 1, 64, wan=WAN),
    "prod-wan": Scenario("prod-wan", "500:10,30000:600", "2000:10", 1500, 1, 200, wan=WAN),
    # Limits far above what the run sends: the clients obey the headers even when nothing is enforced.
    "cpu": Scenario("cpu", "1000000:10,10000000:600", "1000000:10", 3000, 1, 50, enforce=False),
}


@dataclass(frozen=True)
class Peer:
    requirement: str
    min_python: tuple[int, int]
    check: str  # a module that must import in the venv


PEERS = {
    "pulsefire": Peer("pulsefire==2.0.30", (3, 12), "pulsefire.clients"),
    "pyot": Peer("pyot[redis]==6.0.9", (3, 8), "pyot.limiters.redis"),
}


@dataclass(frozen=True)
class Variant:
    label: str
    driver_client: str  # --client of the driver
    venv: str | None  # None: the project's own interpreter


# -- CPU placement ----------------------------------------------------------------------------


def cpu_split() -> tuple[set[int], set[int]] | None:
    """(the emulator's CPUs, the clients' CPUs), or None where they cannot be kept apart."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None
    return {cpus[-1]}, set(cpus[:-1])


def place(pid: int, cpus: set[int] | None) -> None:
    """Keep process ``pid`` on ``cpus`` (no-op for None: see :func:`cpu_split`)."""
    if cpus is not None:
        os.sched_setaffinity(pid, cpus)


# -- t_min ------------------------------------------------------------------------------------


def parse_limits(text: str) -> list[tuple[int, float]]:
    return [(int(limit), float(seconds)) for limit, seconds in (part.split(":") for part in text.split(","))]


def t_min(requests: int, app_limits: str, method_limits: str) -> float:
    """The perfect client's time from its first request to its last success (see the module docstring)."""
    limits = parse_limits(app_limits) + parse_limits(method_limits)
    windows = [[limit, seconds, -math.inf, 0] for limit, seconds in limits]  # limit, seconds, end, count
    now = 0.0
    for _ in range(requests):
        while True:  # the earliest instant every window admits the request
            blocking = [end for limit, _, end, count in windows if now < end and count >= limit]
            if not blocking:
                break
            now = max(blocking)
        for window in windows:
            if now >= window[2]:
                window[2], window[3] = now + window[1], 0
            window[3] += 1
    return now


def _wan_draws(scenario: Scenario, seed: int) -> tuple[float, float, random.Random, list[tuple[int, float]]]:
    """The WAN's delay bounds, a seeded source of draws, and every window of both scopes."""
    assert scenario.wan is not None
    low, high = scenario.wan
    return low, high, random.Random(seed), parse_limits(scenario.app_limits) + parse_limits(scenario.method_limits)


def t_wan(scenario: Scenario, runs: int = 21, seed: int = 10) -> float:
    """The median T of an oracle client over ``scenario.wan``: a ceiling, not a target.

    The oracle has the scenario's callers (each one request at a time, like the bench's)
    and knows every request's delays in advance, so it sends each one to *arrive* at the
    earliest instant the windows admit it: no idle gap at any boundary. What it cannot
    avoid is the WAN itself: after each answer's way back its caller's next request
    still needs its way out, so the last window's burst takes several round trips. T is
    measured as the emulator does: from the first answer to the last (both recorded
    after their way back). ``t_min / t_wan`` is the best efficiency any
    client can reach in that scenario; a client that does not know the delays also pays,
    at every boundary, the time until it can tell the window has closed.
    """
    low, high, rng, limits = _wan_draws(scenario, seed)
    totals = []
    for _ in range(runs):
        windows = [[limit, seconds, -math.inf, 0] for limit, seconds in limits]
        callers = [(0.0, c) for c in range(scenario.processes * scenario.callers)]  # (earliest arrival, caller)
        heapq.heapify(callers)
        left, first, last = scenario.tokens, math.inf, 0.0
        while left:
            arrival, caller = heapq.heappop(callers)
            blocking = [end for limit, _, end, count in windows if arrival < end and count >= limit]
            if blocking:  # it leaves later, to arrive when every window admits it
                heapq.heappush(callers, (max(blocking), caller))
                continue
            for window in windows:
                if arrival >= window[2]:
                    window[2], window[3] = arrival + window[1], 0
                window[3] += 1
            left -= 1
            answered = arrival + rng.uniform(low, high)
            first, last = min(first, answered), max(last, answered)
            heapq.heappush(callers, (answered + rng.uniform(low, high), caller))
        totals.append(last - first)
    return statistics.median(totals)


def t_blind(scenario: Scenario, runs: int = 21, seed: int = 10) -> float:
    """The median T of a blind client over ``scenario.wan``: the ceiling of a client that
    cannot see the delays and never risks a 429 (so of ours), with zero CPU cost.

    Same callers and draws as :func:`t_wan`, but it learns each window as the limiter
    engine does (``pyot_django/limiters/engine.py``): a client window opens at its first
    send and admits ``limit`` requests; it closes ``close_after`` its first answer, once
    none of its requests is in flight; an answer after ``start + seconds`` that opened
    Riot's window (count 1) pushes the close to ``close_after`` that answer (the spill
    rule); the run's first request is a lone probe. What separates it from the oracle is
    what each boundary costs such a client: the first answer's way back and the next
    request's way out. T as in :func:`t_wan`; the assertion is the point: no 429.
    """
    from pyot_django.limiters.engine import close_after

    low, high, rng, limits = _wan_draws(scenario, seed)
    totals = []
    for _ in range(runs):
        edge = [[-math.inf, 0] for _ in limits]  # Riot's fixed windows: end, count
        ours = [_BlindWindow(limit, seconds) for limit, seconds in limits]
        callers = scenario.processes * scenario.callers
        events: list[tuple[float, int, int, tuple[Any, ...]]] = [(0.0, 0, c, ()) for c in range(callers)]
        left, first, last = scenario.tokens, math.inf, 0.0
        probing, probed, waiting = False, False, []
        while events:
            now, kind, caller, data = heapq.heappop(events)
            if kind == 0:  # a caller asks to send
                if not left:
                    continue
                if (probing and not probed) or any(w.full(now) for w in ours):
                    waiting.append(caller)
                    continue
                probing = True
                marks = tuple(w.admit(now) for w in ours)
                left -= 1
                heapq.heappush(events, (now + rng.uniform(low, high), 1, caller, marks))
            elif kind == 1:  # it arrives at Riot's edge and is counted
                counts = []
                for window, (limit, seconds) in zip(edge, limits, strict=True):
                    if now >= window[0]:
                        window[0], window[1] = now + seconds, 0
                    window[1] += 1
                    assert window[1] <= limit, "the blind client earned a 429"
                    counts.append(window[1])
                heapq.heappush(events, (now + rng.uniform(low, high), 2, caller, (data, counts)))
            else:  # its answer is back
                first, last = min(first, now), max(last, now)
                probed = True
                marks, counts = data
                for window, epoch, count in zip(ours, marks, counts, strict=True):
                    window.answer(epoch, now, count, close_after)
                full = [w.close for w in ours if w.open and w.count >= w.limit]
                wake = max([now] + [close for close in full if close is not None])
                heapq.heappush(events, (now, 0, caller, ()))
                for other in waiting:
                    heapq.heappush(events, (wake, 0, other, ()))
                waiting = []
        totals.append(last - first)
    return statistics.median(totals)


class _BlindWindow:
    """One window as the limiter engine keeps it (the subset :func:`t_blind` needs)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self.count, self.close, self.inflight, self.open, self.start, self.epoch = 0, None, 0, False, 0.0, 0

    def full(self, now: float) -> bool:
        if self.open and self.close is not None and now >= self.close and not self.inflight:
            self.open = False
        return self.open and self.count >= self.limit

    def admit(self, now: float) -> int:
        if not self.open:
            self.count, self.close, self.inflight, self.open, self.start = 0, None, 0, True, now
            self.epoch += 1
        self.count += 1
        self.inflight += 1
        return self.epoch

    def answer(self, epoch: int, now: float, count: int, close_after: Any) -> None:
        if epoch != self.epoch or not self.open:
            return
        self.inflight -= 1
        if self.close is None:
            self.close = close_after(now, self.seconds)
        elif now >= self.start + self.seconds and count == 1:  # it opened Riot's next window
            self.close = max(self.close, close_after(now, self.seconds))


def binding_window(requests: int, app_limits: str) -> tuple[int, float] | None:
    """The app window that bounds the run: the slowest rate among those it fills."""
    filled = [(limit, seconds) for limit, seconds in parse_limits(app_limits) if limit < requests]
    return min(filled, key=lambda w: (w[0] / w[1], w[1])) if filled else None


def window_timing(successes: list[float], window: tuple[int, float]) -> tuple[list[float], float | None]:
    """Where the time goes, from the emulator's log of successes (times of the answers).

    Replays the emulator's fixed windows of ``window`` over the successes: each gap is
    how long after a window closed the next one's first success came (a perfect,
    zero-latency client: 0), and the last burst is how long the last window took
    from its first to its last success (CPU and latency bound: the limiter has no say).
    """
    seconds = window[1]
    starts: list[float] = []
    for t in sorted(successes):
        if not starts or t >= starts[-1] + seconds:
            starts.append(t)
    gaps = [round(b - (a + seconds), 3) for a, b in itertools.pairwise(starts)]
    last = round(max(successes) - starts[-1], 3) if starts else None
    return gaps, last


# -- peers' virtual environments -----------------------------------------------------------------


def _version(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    major, minor = out.stdout.split()
    return int(major), int(minor)


def _interpreter(minimum: tuple[int, int]) -> str | None:
    """``python3`` if recent enough, else the first ``python3.X`` or pyenv version that is."""
    candidates = [shutil.which("python3"), shutil.which("python3.13"), shutil.which("python3.12")]
    found = glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python3"))
    candidates += sorted(found, key=lambda path: [int(n) for n in re.findall(r"\d+", path)], reverse=True)
    for python in candidates:
        version = python and _version(python)
        if version and version >= minimum:
            return python
    return None


def ensure_venv(name: str) -> tuple[str | None, str]:
    """(the venv's python, "") or (None, why not); installs ``PEERS[name]`` into ``bench/.venvs/<name>``."""
    peer = PEERS[name]
    venv = VENVS / name
    python = venv / "bin" / "python"
    if python.exists() and subprocess.run([python, "-c", f"import {peer.check}"], capture_output=True).returncode == 0:
        return str(python), ""
    base = _interpreter(peer.min_python)
    if base is None:
        return None, f"no Python >= {'.'.join(map(str, peer.min_python))} to make its venv"
    shutil.rmtree(venv, ignore_errors=True)
    print(f"installing {peer.requirement} into {venv.relative_to(ROOT)} ({base})", flush=True)
    steps = ([base, "-m", "venv", str(venv)], [str(python), "-m", "pip", "install", "-q", peer.requirement])
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            return None, f"{' '.join(step[-2:])} failed: {done.stderr.strip().splitlines()[-1:]}"
    if subprocess.run([python, "-c", f"import {peer.check}"], capture_output=True).returncode != 0:
        return None, f"{peer.requirement} installed but `import {peer.check}` fails"
    return str(python), ""


# -- one run ----------------------------------------------------------------------------------


@dataclass
class Row:
    scenario: str
    client: str
    shape: str
    t_min: float
    tokens: int
    done: int | None = None
    client_ok: int | None = None
    errors: dict[str, int] = field(default_factory=dict)
    limited: dict[str, int] = field(default_factory=dict)
    wall: float | None = None
    cpu: float | None = None  # the client processes' CPU seconds while their callers ran
    gaps: list[float] = field(default_factory=list)  # idle time at each binding-window boundary
    last_burst: float | None = None  # first to last success of the last binding window
    check: str = ""
    note: str = ""

    @property
    def efficiency(self) -> float | None:
        if not self.t_min:
            return None
        return self.t_min / self.wall if self.wall and self.done == self.tokens else None

    @property
    def cpu_us_per_request(self) -> float | None:
        return self.cpu / self.done * 1e6 if self.cpu is not None and self.done else None


def _cleanup_redis(patterns: list[str]) -> None:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
        for pattern in patterns:
            keys = list(client.scan_iter(match=pattern, count=1000))
            for i in range(0, len(keys), 500):
                client.delete(*keys[i : i + 500])
        client.close()
    except redis.RedisError as exc:
        print(f"warning: could not clean Redis keys {patterns}: {exc}", file=sys.stderr)


def _redis_problem() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis {REDIS_URL} unreachable: {type(exc).__name__}"
    return ""


def _redis_host_args() -> list[str]:
    """``--redis-host/--redis-port/--redis-db`` of ``REDIS_URL`` (Pyot 6's limiter takes them apart)."""
    from urllib.parse import urlsplit

    parts = urlsplit(REDIS_URL)
    db = parts.path.strip("/") or "0"
    return ["--redis-host", parts.hostname or "127.0.0.1", "--redis-port", str(parts.port or 6379), "--redis-db", db]


def _pulsefire_proxy(python: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start pulsefire's own shared limiter, ``RiotAPIRateLimiter().serve()``; (process, URL)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = f"from pulsefire.ratelimiters import RiotAPIRateLimiter; RiotAPIRateLimiter().serve(port={port})"
    process = subprocess.Popen([python, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise RuntimeError("pulsefire's limiter server did not start") from None
            time.sleep(0.05)


def run(emulator: Any, scenario: Scenario, variant: Variant, python: str, client_cpus: set[int] | None) -> Row:
    tag = "pb" + secrets.token_hex(3)  # 8 characters: Pyot's Redis keys are the key's last 8
    key = f"RGAPI-bench-not-a-real-key-{tag}"
    redis_prefix = f"{REDIS_PREFIX}:{tag}"
    shape = f"{scenario.processes}x{scenario.callers}"
    row = Row(
        scenario.name,
        variant.label,
        shape,
        t_min(scenario.tokens, scenario.app_limits, scenario.method_limits),
        scenario.tokens,
    )
    emulator.configure(
        app_limits=scenario.app_limits,
        method_limits=scenario.method_limits,
        enforce_limits=scenario.enforce,
        wan_delay=list(scenario.wan) if scenario.wan else 0.0,
        api_keys=[key],
        log_size=max(10_000, 4 * scenario.tokens),
    )
    emulator.reset()
    share, extra = divmod(scenario.tokens, scenario.processes)
    processes: list[subprocess.Popen[str]] = []
    start = 0
    proxy: subprocess.Popen[bytes] | None = None
    proxy_url = ""
    try:
        if variant.driver_client == "pulsefire" and scenario.processes > 1:
            proxy, proxy_url = _pulsefire_proxy(python)
            place(proxy.pid, client_cpus)  # part of that client
        for index in range(scenario.processes):
            count = share + (index < extra)
            command = [
                python,
                str(DRIVER),
                "--client",
                variant.driver_client,
                "--base-url",
                emulator.base_url,
                "--key",
                key,
                "--prefix",
                f"{scenario.name}-{tag}",
                "--start",
                str(start),
                "--count",
                str(count),
                "--callers",
                str(scenario.callers),
                "--redis-url",
                REDIS_URL,
                "--redis-prefix",
                redis_prefix,
                "--pulsefire-proxy",
                proxy_url,
                *_redis_host_args(),
            ]
            start += count
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
            place(process.pid, client_cpus)
            processes.append(process)
        for process in processes:  # setup done in every process before anyone sends
            assert process.stdout is not None
            line = process.stdout.readline().strip()
            if line != "READY":
                raise RuntimeError(f"driver did not start (exit {process.wait()}): {line!r}")
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        deadline = time.monotonic() + 3 * row.t_min + 60
        results = []
        for process in processes:
            try:
                out, _ = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                row.note = f"timed out after {3 * row.t_min + 30:.0f} s, killed"
                break
            result = next((ln for ln in out.splitlines() if ln.startswith("RESULT ")), None)
            if result is None:
                row.note = f"driver exited {process.returncode} without a result"
                continue
            results.append(json.loads(result.removeprefix("RESULT ")))
    except RuntimeError as exc:
        row.note = str(exc)
        results = []
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=10)
        if variant.driver_client.endswith("redis"):
            _cleanup_redis([f"{redis_prefix}*", f"{tag}:*"])
    stats = emulator.stats()
    row.done = int(stats["statuses"].get("200", 0))
    row.limited = stats["rate_limited"]
    if stats["first_request_at"] is not None and stats["last_success_at"] is not None:
        row.wall = stats["last_success_at"] - stats["first_request_at"]
    window = binding_window(scenario.tokens, scenario.app_limits) if scenario.enforce else None
    if window is not None:
        successes = [entry["t"] for entry in stats.get("log", []) if entry.get("status") == 200]
        if successes:
            row.gaps, row.last_burst = window_timing(successes, window)
    row.client_ok = sum(r["ok"] for r in results)
    if results and len(results) == scenario.processes:
        row.cpu = sum(r.get("cpu", 0.0) for r in results)
    for result in results:
        for name, count in result["errors"].items():
            row.errors[name] = row.errors.get(name, 0) + count
    odd_ops = set(stats["by_operation"]) - {OPERATION}
    odd_statuses = set(stats["statuses"]) - {"200", "429"}
    row.check = "ok" if not odd_ops and not odd_statuses else f"ops {sorted(odd_ops)} statuses {sorted(odd_statuses)}"
    if row.done != scenario.tokens and not row.note:
        row.note = f"{row.done} of {scenario.tokens} completed"
    return row


# -- main ---------------------------------------------------------------------------------------


def _variants(scenario: Scenario, clients: list[str]) -> list[Variant]:
    fleet = scenario.processes > 1
    rows: list[Variant] = []
    if "ours" in clients:
        rows.append(
            Variant(
                "ours RedisLimiter" if fleet else "ours MemoryLimiter", "ours-redis" if fleet else "ours-memory", None
            )
        )
    if "pulsefire" in clients:
        label = "pulsefire 2.0.30 proxy limiter" if fleet else "pulsefire 2.0.30"
        rows.append(Variant(label, "pulsefire", "pulsefire"))
    if "pyot" in clients:
        if not fleet:
            rows.append(Variant("Pyot 6.0.9 MemoryLimiter", "pyot-memory", "pyot"))
        rows.append(Variant("Pyot 6.0.9 RedisLimiter", "pyot-redis", "pyot"))
    return rows


def _format(rows: list[Row]) -> str:
    head = (
        "scenario",
        "client",
        "procs x callers",
        "completed",
        "429 app/method/service",
        "T (s)",
        "t_min (s)",
        "efficiency",
        "window gaps (s)",
        "last burst (s)",
        "check",
        "note",
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i < 2 else "--:" for i in range(len(head))) + "|"]
    for row in rows:
        if row.done is None:
            blank = ("n/a", "n/a", "n/a", f"{row.t_min:g}", "n/a", "", "", "")
            cells = (row.scenario, row.client, row.shape, *blank, row.note)
        else:
            limited = "/".join(str(row.limited.get(t, 0)) for t in ("application", "method", "service"))
            errors = ", ".join(f"{k} x{v}" for k, v in row.errors.items())
            note = "; ".join(part for part in (row.note, f"client errors: {errors}" if errors else "") if part)
            wall = f"{row.wall:.3f}" if row.wall is not None else "n/a"
            eff = f"{row.efficiency:.4f}" if row.efficiency is not None else "n/a"
            cells = (
                row.scenario,
                row.client,
                row.shape,
                str(row.done),
                limited,
                wall,
                f"{row.t_min:g}",
                eff,
                ", ".join(f"{gap:.2f}" for gap in row.gaps),
                f"{row.last_burst:.2f}" if row.last_burst is not None else "",
                row.check,
                note,
            )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _summary(rows: list[Row]) -> str:
    """Per scenario and client: every run's efficiency (or CPU per request), their median, 429s."""
    import statistics

    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.scenario, row.client), []).append(row)
    lines = [
        "| scenario | client | runs | efficiency (each run) | median | CPU µs/request (each run) | median "
        "| 429 app/method |",
        "|---|---|--:|---|--:|---|--:|--:|",
    ]
    for (scenario, client), group in groups.items():
        effs = [row.efficiency for row in group if row.efficiency is not None]
        cpus = [row.cpu_us_per_request for row in group if row.cpu_us_per_request is not None]
        limited = sum(row.limited.get("application", 0) + row.limited.get("method", 0) for row in group)
        cells = (
            scenario,
            client,
            str(len(group)),
            ", ".join(f"{e:.4f}" for e in effs) or "n/a",
            f"{statistics.median(effs):.4f}" if effs else "",
            ", ".join(f"{c:.0f}" for c in cpus) if SCENARIOS[scenario].measures_cpu else "",
            f"{statistics.median(cpus):.0f}" if cpus and SCENARIOS[scenario].measures_cpu else "",
            str(limited),
        )
        lines.append("| " + " | ".join(cells) + " |")
    for name in dict.fromkeys(row.scenario for row in rows):
        scenario = SCENARIOS[name]
        if scenario.wan is not None:  # the ceiling any client has over this WAN (see t_wan)
            ceiling = t_min(scenario.tokens, scenario.app_limits, scenario.method_limits) / t_wan(scenario)
            lines.append(f"| {name} | oracle (computed: knows every delay) | | | {ceiling:.4f} | | | |")
            blind = t_min(scenario.tokens, scenario.app_limits, scenario.method_limits) / t_blind(scenario)
            lines.append(f"| {name} | blind client (computed: learns windows from answers) | | | {blind:.4f} | | | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scenario",
        default="dev,prod,fleet,dev-wan,prod-wan,cpu",
        help=f"comma-separated: {', '.join(SCENARIOS)}",
    )
    parser.add_argument("--clients", default="ours,pulsefire,pyot", help="comma-separated: ours, pulsefire, pyot")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds; clients alternate their order from round to round"
    )
    args = parser.parse_args()
    unknown_scenarios = [name for name in args.scenario.split(",") if name and name not in SCENARIOS]
    if unknown_scenarios:
        parser.error(f"unknown scenario(s): {', '.join(unknown_scenarios)}")
    scenarios = [SCENARIOS[name] for name in args.scenario.split(",") if name]
    clients = [name for name in args.clients.split(",") if name]
    unknown = set(clients) - {"ours", *PEERS}
    if unknown:
        parser.error(f"unknown client(s): {', '.join(sorted(unknown))}")

    import django
    from django.conf import settings

    settings.configure(INSTALLED_APPS=["pyot_django"], PYOT={}, USE_TZ=True, LOGGING_CONFIG=None)
    django.setup()
    from pyot_django.testing import serve_emulator_process

    began = time.monotonic()
    pythons: dict[str | None, tuple[str | None, str]] = {None: (sys.executable, "")}
    for name in PEERS:
        if name in clients:
            pythons[name] = ensure_venv(name)
    redis_problem = _redis_problem()
    load = " · load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    print(
        f"# {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · {platform.node()} · "
        f"{platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()}"
        f"{load}",
        flush=True,
    )
    rows: list[Row] = []
    split = cpu_split()
    print(
        f"# CPUs: emulator on {sorted(split[0])}, clients on {sorted(split[1])}"
        if split
        else "# CPUs: emulator and clients share every CPU (no affinity on this system)",
        flush=True,
    )
    with serve_emulator_process() as emu:  # limits are set per run
        place(emu.process.pid, split[0] if split else None)
        for round_index in range(args.repeat):
            for scenario in scenarios:
                variants = _variants(scenario, clients)
                if round_index % 2:
                    variants.reverse()
                for variant in variants:
                    expected = t_min(scenario.tokens, scenario.app_limits, scenario.method_limits)
                    if scenario.measures_cpu:
                        expected = 0.0
                    shape = f"{scenario.processes}x{scenario.callers}"
                    python, problem = pythons[variant.venv]
                    if python and variant.driver_client.endswith("redis") and redis_problem:
                        python, problem = None, redis_problem
                    if python is None:
                        note = f"n/a: {problem}"
                        rows.append(Row(scenario.name, variant.label, shape, expected, scenario.tokens, note=note))
                        continue
                    row = run(emu, scenario, variant, python, split[1] if split else None)
                    if scenario.measures_cpu:
                        row.t_min = 0.0
                    rows.append(row)
                    eff = f"{row.efficiency:.4f}" if row.efficiency is not None else "n/a"
                    cpu = f"{row.cpu_us_per_request:.0f}" if row.cpu_us_per_request is not None else "n/a"
                    print(
                        f"  {scenario.name:<8} {variant.label:<30} completed {row.done}, 429s {row.limited}, "
                        f"T {row.wall or 0:.3f} s, t_min {row.t_min:g} s, efficiency {eff}, "
                        f"CPU {cpu} µs/request {row.note}",
                        flush=True,
                    )
    print()
    print(_format(rows))
    print()
    print(_summary(rows))
    load = " (load {:.2f} {:.2f} {:.2f})".format(*os.getloadavg())
    print(f"\nbench took {time.monotonic() - began:.0f} s{load}")


if __name__ == "__main__":
    main()
