"""A frozen Redis behind django-redis ``IGNORE_EXCEPTIONS``: the store sees the error, cools down, recovers.

The test starts its own ``redis-server`` on a free port and freezes it with SIGSTOP
(a hung host: connections open, nothing answers), so no other test's Redis is touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from asgiref.sync import async_to_sync
from django.test import override_settings

from pyot_django.pipeline import pipelines
from pyot_django.pipeline.health import COOL_DOWN_SECONDS
from tests.helpers import FAKE, summoner_token

pytestmark = pytest.mark.django_db(transaction=True)

SOCKET_TIMEOUT = 0.5
LOOKUPS = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed for this test (it is a service of the suite, see .ci/run)"
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url, socket_timeout=0.5).ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "own redis-server did not start"
            time.sleep(0.05)
    try:
        yield process, url
    finally:
        os.kill(process.pid, signal.SIGCONT)
        process.terminate()
        process.wait(10)


def _settings(url: str) -> dict:
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "quiet": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_TIMEOUT": SOCKET_TIMEOUT,
                "SOCKET_CONNECT_TIMEOUT": SOCKET_TIMEOUT,
            },
        },
    }
    pyot = {"lol": {"STORES": [{"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "quiet"}, {"BACKEND": FAKE}]}}
    return {"CACHES": caches, "PYOT": pyot}


def test_a_frozen_redis_costs_one_timeout_per_cool_down_not_one_per_lookup(own_redis):
    process, url = own_redis
    with override_settings(**_settings(url)):
        lol = pipelines["lol"]
        health = lol.health[0]
        warm = summoner_token("outage-warm")
        lol.get_sync(warm)
        assert lol.get_sync(warm) and health.hits == 1  # served by Redis while it answers

        os.kill(process.pid, signal.SIGSTOP)
        started = time.monotonic()
        for n in range(LOOKUPS):
            token = summoner_token(f"outage-{n}")
            value = lol.get_sync(token) if n % 2 else async_to_sync(lol.get)(token)
            assert value["id"] == f"outage-{n}"  # the lookup never fails
        elapsed = time.monotonic() - started
        print(f"\n{LOOKUPS} lookups, Redis frozen, IGNORE_EXCEPTIONS: {elapsed:.2f} s, {health.errors} timeout(s)")
        # Without the fix each lookup paid a read and a write timeout: 20 x 2 x 0.5 s = 20 s.
        assert elapsed < 6 * SOCKET_TIMEOUT + COOL_DOWN_SECONDS, elapsed
        assert health.failing and health.errors >= 1
        assert health.errors <= 3

        # Recovery is prompt: once Redis answers, the first lookup after the cool-down
        # probes it (a miss is an answer) and the store is back in service.
        os.kill(process.pid, signal.SIGCONT)
        time.sleep(COOL_DOWN_SECONDS + 0.1)
        probe = summoner_token("outage-probe")
        lol.get_sync(probe)
        assert not health.failing
        assert async_to_sync(lol.stores[0].contains)(probe)  # and it was sunk there


def test_a_store_failing_on_the_async_path_is_probed_again_after_its_cool_down(own_redis):
    process, url = own_redis
    with override_settings(**_settings(url)):
        lol = pipelines["lol"]
        health = lol.health[0]
        os.kill(process.pid, signal.SIGSTOP)
        async_to_sync(lol.get)(summoner_token("async-outage"))
        assert health.failing
        os.kill(process.pid, signal.SIGCONT)
        time.sleep(COOL_DOWN_SECONDS + 0.1)
        token = summoner_token("async-back")
        async_to_sync(lol.get)(token)
        assert not health.failing
        assert async_to_sync(lol.contains)(token)
