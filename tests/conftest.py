"""Shared fixtures: real Redis (fails loudly when down), the Riot emulator, key-leak watch."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator

import pytest
import redis
from django.conf import settings

from tests.helpers import SECRET_KEYS, free_port

pytest_plugins = ["pyot_django.testing.pytest_plugin"]

# tests/reference/ reads ../shared/riotapi, which a user's fresh clone does not have:
# `make test-reference` (run by .ci/run) sets PYOT_REFERENCE_TESTS=1 to collect it.
collect_ignore = [] if os.environ.get("PYOT_REFERENCE_TESTS") else ["reference"]


class _KeyLeakWatch(logging.Handler):
    """Sees every log record of the run at DEBUG and remembers any that shows an API key."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += repr(record.exc_info[1])
        for key in SECRET_KEYS:
            if key in text:
                self.leaks.append(f"{record.name}: {text[:200]}")


@pytest.fixture(scope="session", autouse=True)
def _api_keys_never_logged():
    """Across the whole suite, at DEBUG on every logger, no record contains an API key."""
    watch = _KeyLeakWatch()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(watch)
    root.setLevel(logging.DEBUG)
    yield watch
    root.removeHandler(watch)
    root.setLevel(previous)
    assert watch.leaks == [], f"API key found in log records: {watch.leaks[:3]}"


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = f"{settings.REDIS_URL}/1"
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:  # never skip: a missing service is a failure
        pytest.fail(f"Redis is not answering at {url}: {exc}. Start it (see .ci/run).", pytrace=False)
    finally:
        client.close()
    return url


@pytest.fixture
def redis_cache(redis_url: str):
    from django.core.cache import caches

    cache = caches["redis"]
    yield cache
    cache.delete_pattern("pyot:*")
    cache.delete_pattern("foreign:*")


@pytest.fixture(scope="session", autouse=True)
def _close_connections_of_async_orm_thread(django_db_setup, django_db_blocker):
    """Async ORM calls run in asgiref's shared thread; close its connections before
    the test database is dropped (PostgreSQL refuses to drop a database in use)."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


@pytest.fixture
def emu(riot_emulator):
    """The session's emulator, its state reset for this test (the plugin's ``riot_emulator``)."""
    return riot_emulator


@pytest.fixture
def http(riot_emulator):
    """A plain httpx client on the emulator's root, for raw requests."""
    import httpx

    with httpx.Client(base_url=riot_emulator.url, timeout=10) as client:
        yield client


@pytest.fixture
def private_redis() -> Iterator[tuple[str, tuple[Callable[[], None], Callable[[], None]]]]:
    """A throwaway redis-server (no persistence) that the test may stop and start again; its
    connection counts are the test's own (the suite's Redis is shared with other runs)."""
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="pyot-redis-")
    processes: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        processes.append(subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(port), "--save", "",
             "--appendonly", "no", "--dir", workdir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        client = redis.Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        client.close()

    def stop() -> None:
        process = processes[-1]
        process.terminate()
        process.wait(10)

    start()
    yield f"redis://127.0.0.1:{port}/0", (start, stop)
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(10)
    shutil.rmtree(workdir, ignore_errors=True)
