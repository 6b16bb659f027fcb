"""Celery tasks: eagerly, and through a real worker on the real Redis broker, with the overlap guard."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from pyot_django import operations as ops
from pyot_django.locks import lock_key, run_lock
from pyot_django.operations import UnknownPipeline
from pyot_django.stores.memory import Memory
from pyot_django.tasks import clear_pipelines, expire_pipelines
from tests.ops_support import ops_settings, summoner


class BlockingMemory(Memory):
    """A Memory store whose ``clear`` holds until the test releases it (keeps a run busy)."""

    entered = threading.Event()
    release = threading.Event()

    async def clear(self) -> int:
        BlockingMemory.entered.set()
        released = await asyncio.to_thread(BlockingMemory.release.wait, 30)
        assert released, "the test never released the blocked clear"
        return await super().clear()


BLOCKING = {"BACKEND": "tests.test_tasks.BlockingMemory"}


@pytest.fixture
def task_settings():
    with ops_settings() as config, override_settings(PYOT_TASK_LOCK_CACHE="ops"):
        yield config


def _fill(*puuids: str) -> None:
    for puuid in puuids:
        ops.fetch_token(*summoner(puuid))


# -- eager ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_clear_runs_eagerly_and_returns_a_json_summary(task_settings):
    _fill("a", "b")
    summary = clear_pipelines.apply(kwargs={"names": ["lol"]}).get()
    assert json.loads(json.dumps(summary)) == summary
    assert summary["task"] == "clear_pipelines" and summary["status"] == "ok" and summary["errors"] == []
    assert [p["pipeline"] for p in summary["pipelines"]] == ["lol"]
    assert summary["pipelines"][0]["removed"] == 6
    assert not ops.lookup_token(*summoner("a")).found
    # Idempotent: the second run succeeds and removes nothing.
    again = clear_pipelines.apply(kwargs={"names": ["lol"]}).get()
    assert again["status"] == "ok" and again["pipelines"][0]["removed"] == 0


@pytest.mark.django_db
def test_expire_runs_eagerly_over_every_pipeline_by_default(task_settings):
    summary = expire_pipelines.apply().get()
    assert summary["status"] == "ok" and summary["action"] == "expire"
    assert [p["pipeline"] for p in summary["pipelines"]] == ["lol", "tft"]


@pytest.mark.django_db
def test_a_held_lock_makes_the_run_skip_and_release_frees_it(task_settings):
    _fill("a")
    with run_lock("clear_pipelines", alias="ops") as acquired:
        assert acquired
        skipped = clear_pipelines.apply().get()
        assert skipped["status"] == "skipped" and skipped["pipelines"] == []
        assert ops.lookup_token(*summoner("a")).found
        # Another task has its own lock.
        assert expire_pipelines.apply().get()["status"] == "ok"
    assert clear_pipelines.apply().get()["status"] == "ok"
    assert caches["ops"].get(lock_key("clear_pipelines")) is None


@pytest.mark.django_db
def test_unknown_names_fail_the_task(task_settings):
    result = clear_pipelines.apply(kwargs={"names": ["nope"]})
    assert result.failed()
    with pytest.raises(UnknownPipeline, match="Configured: lol, tft"):
        result.get()
    assert caches["ops"].get(lock_key("clear_pipelines")) is None  # released on failure too


@pytest.mark.django_db
def test_a_failing_store_gives_status_error():
    down = {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis_down"}
    with ops_settings(extra_lol=[down]):
        summary = clear_pipelines.apply(args=[["lol"]]).get()
    assert summary["status"] == "error" and "lol[3] DjangoCache" in summary["errors"][0]


def test_task_options():
    assert clear_pipelines.name == "pyot_django.tasks.clear_pipelines"
    assert expire_pipelines.name == "pyot_django.tasks.expire_pipelines"
    assert clear_pipelines.acks_late and expire_pipelines.acks_late


def test_lock_expires_and_never_frees_another_owners_lock():
    with ops_settings():
        cache, key = caches["ops"], lock_key("t")
        with run_lock("t", timeout=1, alias="ops") as first:
            assert first
            with run_lock("t", timeout=1, alias="ops") as second:
                assert not second
            assert cache.get(key) is not None  # the refused run did not release it
            time.sleep(1.2)  # the first run outlives its timeout…
            with run_lock("t", timeout=5, alias="ops") as third:
                assert third  # …so a new run may take the lock
            cache.set(key, "a-later-run", 5)
        # The first run's exit must not free a lock that is no longer its own.
        assert cache.get(key) == "a-later-run"


def test_nothing_outside_tasks_imports_celery():
    package = Path(__file__).resolve().parent.parent / "pyot_django"
    pattern = re.compile(r"^\s*(import celery|from celery)", re.MULTILINE)
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "tasks.py" and pattern.search(path.read_text())
    ]
    assert offenders == []


# -- a real worker ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def celery_worker():
    from celery.contrib.testing.worker import start_worker

    from tests.celery_app import BROKER_URL, app

    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"the Celery broker (Redis) is not answering at {BROKER_URL}: {exc}", pytrace=False)
    finally:
        client.close()
    # Two threads, so two runs can really be in flight at once.
    with start_worker(app, pool="threads", concurrency=2, loglevel="WARNING", shutdown_timeout=30):
        yield app


@pytest.mark.django_db(transaction=True)
def test_tasks_through_a_real_worker(celery_worker, task_settings):
    _fill("a", "b")
    clear = celery_worker.tasks["pyot_django.tasks.clear_pipelines"]
    summary = clear.delay(["lol"]).get(timeout=30)
    assert summary["status"] == "ok" and summary["pipelines"][0]["removed"] == 6
    assert not ops.lookup_token(*summoner("a")).found
    expire = celery_worker.tasks["pyot_django.tasks.expire_pipelines"]
    assert expire.delay().get(timeout=30)["status"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_never_overlap(celery_worker):
    BlockingMemory.entered.clear()
    BlockingMemory.release.clear()
    clear = celery_worker.tasks["pyot_django.tasks.clear_pipelines"]
    expire = celery_worker.tasks["pyot_django.tasks.expire_pipelines"]
    with ops_settings(extra_lol=[BLOCKING]), override_settings(PYOT_TASK_LOCK_CACHE="ops"):
        _fill("a")
        first = clear.delay(["lol"])
        try:
            assert BlockingMemory.entered.wait(30), "the first run never reached the blocking store"
            second = clear.delay(["lol"]).get(timeout=30)
            assert second["status"] == "skipped"
            # A different task is not blocked by clear's lock.
            assert expire.delay(["lol"]).get(timeout=30)["status"] == "ok"
        finally:
            BlockingMemory.release.set()
        done = first.get(timeout=30)
        assert done["status"] == "ok" and done["pipelines"][0]["stores"][3]["name"] == "BlockingMemory"
        # The lock is free again: the next run does the work.
        assert clear.delay(["lol"]).get(timeout=30)["status"] == "ok"


def test_a_lock_cache_that_does_not_exist_is_a_clear_configuration_error():
    from pyot_django.exceptions import ImproperlyConfiguredPipeline

    with override_settings(PYOT_TASK_LOCK_CACHE="nope"):
        with pytest.raises(ImproperlyConfiguredPipeline, match=r"PYOT_TASK_LOCK_CACHE 'nope'.*E026"):
            with run_lock("clear_pipelines"):
                pass
