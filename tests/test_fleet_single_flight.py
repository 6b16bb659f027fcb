"""Fleet-wide single-flight: 4 OS processes x 25 concurrent cold lookups of one token, one Riot request.

Each process (``tests/fleet_worker.py``) has its own pipeline Memory → DjangoCache
(django-redis) [→ DjangoORM] → RiotAPI on the emulator; the requests are counted
by the emulator. Then the leader is killed (SIGKILL) while its request hangs in a
scripted delay: the others must still finish, with at most one more request.
"""

from __future__ import annotations

import json
import os
import secrets
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from pyot_django.pipeline.lease import _FOLLOW_MAX, _LEASE_TTL
from tests.helpers import lenient_riot_emulator_config  # noqa: F401  lenient: this suite is about what it measures, not Riot's id rules; its made-up ids are not what it tests

ROOT = Path(__file__).resolve().parent.parent
OPERATION = "summoner-v4.getByPUUID"
PROCESSES, CALLERS = 4, 25


def _start(emu, puuid: str, kind: str) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "PYOT_FLEET_DB_NAME": str(connection.settings_dict["NAME"])}
    command = [sys.executable, "-m", "tests.fleet_worker", emu.base_url, puuid, str(CALLERS), kind]
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        for _ in range(PROCESSES)
    ]
    deadline = time.monotonic() + 90
    for worker in workers:
        assert _readline(worker, deadline) == "READY"
    for worker in workers:  # all set up: start together
        worker.stdin.write(b"go\n")
        worker.stdin.flush()
    return workers


def _readline(worker: subprocess.Popen[bytes], deadline: float) -> str:
    line = b""
    while not line.endswith(b"\n"):
        ready, _, _ = select.select([worker.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            worker.kill()
            pytest.fail("a fleet worker did not answer in time")
        chunk = worker.stdout.read(1)
        if not chunk:
            pytest.fail(f"a fleet worker exited ({worker.wait()}) early")
        line += chunk
    return line.decode().strip()


def _results(workers: list[subprocess.Popen[bytes]], deadline: float) -> list[dict]:
    results = []
    for worker in workers:
        try:
            out, _ = worker.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            pytest.fail("a fleet worker hung")
        line = next((ln for ln in out.decode().splitlines() if ln.startswith("RESULT ")), None)
        assert line is not None, f"worker exited {worker.returncode} without a result: {out[-500:]!r}"
        results.append(json.loads(line.removeprefix("RESULT ")))
    return results


def _upstream(emu) -> int:
    return int(emu.emulator.stats()["by_operation"].get(OPERATION, 0))


def _kill_all(workers):
    for worker in workers:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["cache", "orm"])
def test_one_upstream_request_for_the_fleet(emu, redis_cache, kind):
    puuid = f"fleet-{secrets.token_hex(6)}"
    emu.emulator.script(OPERATION, [{"delay": 0.5}])  # a slow answer: every process is waiting at once
    workers = _start(emu, puuid, kind)
    try:
        results = _results(workers, time.monotonic() + 60)
    finally:
        _kill_all(workers)
    assert [r["ok"] for r in results] == [CALLERS] * PROCESSES, results
    assert all(r["distinct"] == 1 for r in results), results
    assert _upstream(emu) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["cache", "orm"])
def test_the_fleet_survives_its_leader_dying(emu, redis_cache, redis_url, kind):
    puuid = f"fleet-{secrets.token_hex(6)}"
    emu.emulator.script(OPERATION, [{"delay": 8}])  # the leader's request hangs; later ones answer at once
    workers = _start(emu, puuid, kind)
    raw = redis.Redis.from_url(redis_url)
    try:
        deadline = time.monotonic() + 20
        leader_pid = None
        # Mid-lookup: the leader holds the lease and its request sits in the emulator's delay.
        while time.monotonic() < deadline:
            if not emu.emulator.stats()["scripts_pending"]:
                for key in raw.scan_iter(match=f"*{puuid}*~lease"):
                    holder = raw.get(key)
                    if holder:
                        leader_pid = int(holder.decode().split("-", 1)[0])
                if leader_pid is not None:
                    break
            time.sleep(0.02)
        assert leader_pid is not None, "no process took the lease and sent its request"
        leader = next(worker for worker in workers if worker.pid == leader_pid)
        os.kill(leader_pid, signal.SIGKILL)
        leader.wait()
        survivors = [worker for worker in workers if worker is not leader]
        started = time.monotonic()
        results = _results(survivors, started + _FOLLOW_MAX + 30)
        took = time.monotonic() - started
    finally:
        raw.close()
        _kill_all(workers)
    assert [r["ok"] for r in results] == [CALLERS] * (PROCESSES - 1), results
    assert all(r["distinct"] == 1 for r in results), results
    assert _upstream(emu) <= 2
    # Taken over when the dead leader's lease expired, not after the follower's whole wait.
    log = [(round(e["t"] - time.time(), 2), e["status"]) for e in emu.emulator.stats()["log"]]
    assert took < _LEASE_TTL + 10, (took, log)


def _commands(client: redis.Redis) -> int:
    return int(client.info("stats")["total_commands_processed"])


async def test_a_warm_hit_costs_one_redis_command(redis_cache, redis_url):
    from tests.helpers import FAKE, make_pipeline, summoner_token

    pipeline = make_pipeline({"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis"}, {"BACKEND": FAKE})
    token = summoner_token(f"warm-{secrets.token_hex(4)}")
    await pipeline.get(token)  # cold: the lease script, the store write, the release
    raw = redis.Redis.from_url(redis_url)
    try:
        before = _commands(raw)
        await pipeline.get(token)
        # INFO itself counts as one command on the second reading.
        assert _commands(raw) - before == 1 + 1
        assert not list(raw.scan_iter(match="*~lease")), "the leader released its lease"
    finally:
        raw.close()
    assert pipeline.stores[1].calls == 1


async def test_off_without_a_shared_store(redis_url):
    from tests.helpers import FAKE, make_pipeline, summoner_token

    pipeline = make_pipeline({"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "locmem"}, {"BACKEND": FAKE})
    await pipeline.get(summoner_token(f"local-{secrets.token_hex(4)}"))
    assert pipeline.__dict__["_pyot_fleets"] == {1: None}
