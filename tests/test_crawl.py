"""The distributed crawl: 2 Celery worker processes, a Redis broker, one emulator process.

Everything runs as separate OS processes with the testproject's own settings, configured
the way the README's "Distributed crawl" section says (``DATABASE_URL``, ``REDIS_URL``):
the emulator enforces a development key's limits (20/1 s, 100/120 s), the workers share
the RedisLimiter and the database, and the test checks what they left behind.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from pyot_django.testing import serve_emulator_process

ROOT = Path(__file__).resolve().parent.parent
REDIS_DB_URL = os.environ.get("PYOT_TEST_REDIS", "redis://127.0.0.1:6379") + "/5"
PG_DSN = "postgres://postgres@127.0.0.1:5432"
MATCHES = 20


@pytest.fixture
def crawl_redis() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_DB_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is not answering at {REDIS_DB_URL}: {exc}", pytrace=False)
    client.flushdb()
    yield REDIS_DB_URL
    client.flushdb()
    client.close()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A database of the crawl's own, shared by every process (not the pytest-django one)."""
    if os.environ.get("PYOT_TEST_DB", "sqlite") != "postgres":
        yield f"sqlite:///{tmp_path / 'crawl.sqlite3'}"
        return
    import psycopg

    name = f"pyot_crawl_{os.getpid()}"
    with psycopg.connect(f"{PG_DSN}/test", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    yield f"{PG_DSN}/{name}"
    with psycopg.connect(f"{PG_DSN}/test", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _match_rows(database_url: str) -> list[tuple[str, str]]:
    query = "SELECT key, method FROM pyot_django_pyotentry WHERE method = 'match-v5.getMatch'"
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            return conn.execute(query).fetchall()
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(query).fetchall()


def _start_worker(name: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "celery", "-A", "testproject", "worker",
        "--concurrency=1", "--pool=prefork", "-n", f"{name}@%h", "--loglevel=INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat", f"--logfile={log}",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def _wait_ready(workers: list[tuple[subprocess.Popen[bytes], Path]], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    for process, log in workers:
        while not (log.exists() and " ready." in log.read_text()):
            if process.poll() is not None:
                pytest.fail(f"celery worker exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"celery worker not ready in {timeout} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # the worker's own session: it and its pool children
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_two_workers_store_every_match_once_without_429(crawl_redis: str, database_url: str, tmp_path: Path):
    with serve_emulator_process() as emulator:  # default limits: a development key's
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIOT_", "PYOT_", "CELERY_"))},
            "DJANGO_SETTINGS_MODULE": "testproject.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url,
            "REDIS_URL": crawl_redis,
            "PYOT_RIOT_BASE_URL": emulator.base_url,
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--verbosity=0"], cwd=ROOT, env=env, check=True, timeout=120)
        logs = [tmp_path / "worker1.log", tmp_path / "worker2.log"]
        workers = [_start_worker(f"crawl{i}", env, log) for i, log in enumerate(logs, 1)]
        try:
            _wait_ready(list(zip(workers, logs, strict=True)))
            crawl = ["crawl", "Faker#KR1", "--region=americas", f"--count={MATCHES}", "--wait", "--timeout=120"]
            done = subprocess.run([*manage, *crawl], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
            assert done.returncode == 0, done.stderr[-3000:]
            summary = json.loads(done.stdout.strip().splitlines()[-1])
            stats = emulator.stats()
        finally:
            for worker in workers:
                _stop(worker)

    match_ids = summary["match_ids"]
    assert len(match_ids) == len(set(match_ids)) == MATCHES
    # Each match was fetched from Riot exactly once, by one of the two workers, and both worked.
    assert sorted(item["match_id"] for item in summary["fetched"]) == sorted(match_ids)
    assert {item["store"] for item in summary["fetched"]} == {"RiotAPI"}
    assert len({item["worker"] for item in summary["fetched"]}) == 2, summary["fetched"]
    assert stats["by_operation"]["match-v5.getMatch"] == MATCHES
    # Stored exactly once: one ORM row per match id, no duplicates.
    rows = _match_rows(database_url)
    assert len(rows) == MATCHES
    assert len({key for key, _ in rows}) == MATCHES
    assert all(sum(match_id in key for key, _ in rows) == 1 for match_id in match_ids)
    # The shared RedisLimiter kept 22 requests in 1 s windows of 20: no application or method 429.
    assert stats["rate_limited"]["application"] == 0
    assert stats["rate_limited"]["method"] == 0
    assert stats["statuses"] == {"200": MATCHES + 2}
