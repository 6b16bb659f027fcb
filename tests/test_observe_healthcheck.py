"""The django-health-check check against a Redis of its own: working, unavailable within its timeout, working again."""

from __future__ import annotations

import asyncio
import datetime
import json
import shutil
import subprocess
import time

import pytest
import redis
from django.conf import settings
from django.test import RequestFactory, override_settings
from health_check.views import HealthCheckView

from pyot_django.observe.healthcheck import PyotStores
from pyot_django.pipeline import pipelines
from tests.ops_support import FAKE_KEY

PORT = 6395
URL = f"redis://127.0.0.1:{PORT}/0"
TIMEOUT = datetime.timedelta(seconds=2)
REDIS_NO_DISK = ["--save", "", "--appendonly", "no"]


def start_redis() -> None:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is missing", pytrace=False)
    subprocess.run(
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(PORT), *REDIS_NO_DISK],
        check=True,
        timeout=10,
    )
    client = redis.Redis.from_url(URL, socket_connect_timeout=1)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def stop_redis() -> None:
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).shutdown(nosave=True)
    except redis.ConnectionError:
        pass  # shutting down closes the connection before it answers


@pytest.fixture
def own_redis():
    start_redis()
    caches = {
        **settings.CACHES,
        "health": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    }
    stores = [
        {"BACKEND": "pyot_django.stores.Memory"},
        {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "health"},
        {
            "BACKEND": "pyot_django.stores.RiotAPI",
            "API_KEY": FAKE_KEY,
            "RATE_LIMITER": {"BACKEND": "pyot_django.limiters.RedisLimiter", "LOCATION": URL},
        },
    ]
    try:
        with override_settings(CACHES=caches, PYOT={"lol": {"STORES": stores}}, PYOT_OBSERVE={"FLEET": False}):
            yield
    finally:
        stop_redis()
        pipelines.reset()


def check() -> tuple[str | None, float]:
    result = asyncio.run(PyotStores(timeout=TIMEOUT).get_result())
    return (None if result.error is None else str(result.error)), result.time_taken


def view_json() -> tuple[int, dict]:
    view = HealthCheckView.as_view(checks=[("pyot_django.observe.healthcheck.PyotStores", {"timeout": TIMEOUT})])
    response = asyncio.run(view(RequestFactory().get("/health/?format=json")))
    return response.status_code, json.loads(response.content)


def test_working_then_unavailable_within_the_timeout_then_working(own_redis):
    assert check()[0] is None
    assert view_json() == (200, {"PyotStores(pipeline=None)": "OK"})

    stop_redis()
    started = time.monotonic()
    error, taken = check()
    assert taken < TIMEOUT.total_seconds() + 1 and time.monotonic() - started < TIMEOUT.total_seconds() + 1.5
    assert error is not None and error.startswith("Unavailable: ")
    assert "lol[1] DjangoCache: unreachable" in error
    assert "lol[2] RiotAPI limiter (RedisLimiter): unreachable" in error
    assert "lol[0]" not in error  # the Memory store is always there
    status, body = view_json()
    assert status == 500 and body["PyotStores(pipeline=None)"].startswith("Unavailable: ")

    start_redis()
    assert check()[0] is None
    assert view_json() == (200, {"PyotStores(pipeline=None)": "OK"})


def test_one_pipeline_and_a_missing_one(own_redis):
    assert asyncio.run(PyotStores(pipeline="lol", timeout=TIMEOUT).get_result()).error is None
    error = asyncio.run(PyotStores(pipeline="tft", timeout=TIMEOUT).get_result()).error
    assert error is not None and "no pipeline 'tft'" in str(error)
