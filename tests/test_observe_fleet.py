"""Fleet counters across OS processes: 3 workers look up, a 4th process (this one) sums them.

The workers share a django-redis store and a RedisLimiter; each prints what its own
trace saw. ``pyot_pipelines --json`` and the admin page here must show the sum:
exact, as soon as the workers have exited (each flushes at exit).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings

from tests.helpers import lenient_riot_emulator_config  # noqa: F401  lenient: this suite is about what it measures, not Riot's id rules; its made-up ids are not what it tests
from tests.observe_support import FLEET_REDIS_URL, observe_settings

ROOT = Path(__file__).resolve().parent.parent
WORKERS = (("a1,a2,a3,a4,a5,a6", 2), ("a1,a2,a3,a4,a5,a6", 2), ("b1,b2,b3,b4", 3))


@pytest.fixture
def prefix():
    client = redis.Redis.from_url(FLEET_REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is not answering at {FLEET_REDIS_URL}: {exc}", pytrace=False)
    name = f"fleet{os.getpid()}{uuid.uuid4().hex[:6]}"
    yield name
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)
    client.close()


def run_workers(base_url: str, prefix: str, workers=WORKERS, env: dict[str, str] | None = None) -> list[dict]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.observe_worker", base_url, prefix, *map(str, worker)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        for worker in workers
    ]
    tallies = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()[-3000:]
        tallies.append(json.loads(out.decode().strip().splitlines()[-1]))
    return tallies


def summed(tallies: list[dict]) -> dict[str, int]:
    total: dict[str, int] = {}
    for tally in tallies:
        for store, count in tally["by_store"].items():
            total[store] = total.get(store, 0) + count
    return total


@pytest.mark.django_db
def test_three_processes_sum_up_in_the_command_and_the_admin(emu, prefix, client):
    tallies = run_workers(emu.base_url, prefix)
    expected = summed(tallies)
    lookups = sum(t["lookups"] for t in tallies)
    assert lookups == 6 * 2 * 2 + 4 * 3
    assert expected.get("RiotAPI", 0) >= 10  # every PUUID was fetched at least once

    with override_settings(**observe_settings(emu.base_url, prefix)):
        out = StringIO()
        call_command("pyot_pipelines", "lol", "--json", stdout=out)
        (row,) = json.loads(out.getvalue())
        fleet = row["fleet"]
        assert fleet["where"] == "CACHES['fleet']"
        assert fleet["lookups"] == lookups
        assert fleet["by_store"] == expected
        # Riot answers count requests: a lookup another process's fleet lease fetched for it is
        # answered "by RiotAPI" without a request of its own, so 10 distinct PUUIDs <= answers <= lookups.
        assert set(fleet["riot_statuses"]) == {"200"}
        assert 10 <= fleet["riot_statuses"]["200"] <= expected["RiotAPI"]
        assert sum(fleet["limiter_requests"]) == expected["RiotAPI"]
        assert set(fleet["latency"]) == set(expected)
        assert any(label.startswith("app na1 per 1") for label in fleet["budget"])

        User.objects.create_superuser("admin", "admin@example.com", "pw-fleet")
        client.login(username="admin", password="pw-fleet")
        page = client.get("/admin/pyot_django/pipeline/").content.decode()
    assert f'data-lookups="{lookups}"' in page
    for store, count in expected.items():
        assert f'data-store="{store}" data-count="{count}"' in page
    assert 'data-chart="share"' in page and 'data-chart="budget"' in page and 'data-chart="latency"' in page
