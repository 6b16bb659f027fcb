"""Isolated pipelines for a test suite: the emulator instead of Riot, empty caches every test.

``isolated_pipelines(running_emulator)`` is a context manager that, for its duration,

- points every ``RiotAPI`` store of ``settings.PYOT`` at the emulator (``BASE_URL``) with a
  fake key of this test worker (the emulator accepts any key; a real one is never sent);
- gives every Django cache alias a DjangoCache store uses a ``KEY_PREFIX`` of this worker
  (``pyot-test-gw0``…), so two pytest-xdist workers sharing one Redis never see, or clear,
  each other's entries;
- gives every ``RedisLimiter`` a ``KEY_PREFIX`` of this worker and deletes its keys;
- rebuilds the pipelines (so Memory stores and MemoryLimiters start empty) and clears
  every cache store that lives outside the test database, before and after the test.

The ORM store's rows live in the test database, which pytest-django and Django's
``TestCase`` already roll back (or flush) per test and create per xdist worker, so it is
not cleared here: a test without database access could not.

The pytest fixture is ``riot_pipelines`` (:mod:`.pytest_plugin`); for Django's own test
runner, mix :class:`IsolatedPipelinesMixin` into your ``TestCase``.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asgiref.sync import async_to_sync
from django.conf import settings
from django.test.utils import override_settings
from django.utils.module_loading import import_string

__all__ = [
    "IsolatedPipelines",
    "IsolatedPipelinesMixin",
    "isolated_config",
    "isolated_pipelines",
    "worker_api_key",
    "worker_salt",
]

logger = logging.getLogger("pyot_django.testing")

_REDIS_LIMITER = "pyot_django.limiters.RedisLimiter"
_DEFAULT_LIMITER_PREFIX = "pyot:rl"


def worker_salt() -> str:
    """A name for this test process, stable from run to run: ``gw0``, ``gw1``… or ``main``.

    Stable, not random: entries a killed run leaves behind are found and cleared by the
    next run of the same worker instead of piling up under fresh prefixes.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        return worker
    try:  # Django's parallel runner numbers its worker processes
        from django.test import runner

        number = getattr(runner, "_worker_id", 0)
    except ImportError:  # pragma: no cover - Django always has it
        number = 0
    return f"django{number}" if number else "main"


def worker_api_key(salt: str) -> str:
    """A fake key of this worker: its identity hash separates cached data per worker too."""
    return f"pyot-test-not-a-riot-key-{salt}"


def _is_class(backend: Any, dotted: str) -> bool:
    if not isinstance(backend, str):
        return False
    if backend == dotted:
        return True
    try:
        target = import_string(dotted)
        cls = import_string(backend)
    except ImportError:
        return False
    return isinstance(cls, type) and issubclass(cls, target)


def _store_entries(config: Any) -> Iterator[dict[str, Any]]:
    """Every store dict of a ``PYOT`` value, skipping what the system checks would report."""
    for pipeline in config.values() if isinstance(config, Mapping) else ():
        stores = pipeline.get("STORES") if isinstance(pipeline, Mapping) else None
        for store in stores if isinstance(stores, list) else ():
            if isinstance(store, dict):
                yield store


def isolated_config(config: Any, base_url: str, salt: str) -> Any:
    """A copy of ``PYOT`` with its RiotAPI stores on ``base_url`` and its limiters salted."""
    if not isinstance(config, Mapping):
        return config  # let the system checks report it
    isolated = copy.deepcopy(dict(config))
    for store in _store_entries(isolated):
        if not _is_class(store.get("BACKEND"), "pyot_django.stores.RiotAPI"):
            continue
        store["BASE_URL"] = base_url
        store["API_KEY"] = worker_api_key(salt)
        limiter = store.get("RATE_LIMITER")
        if isinstance(limiter, dict) and _is_class(limiter.get("BACKEND"), _REDIS_LIMITER):
            prefix = limiter.get("KEY_PREFIX", _DEFAULT_LIMITER_PREFIX)
            limiter["KEY_PREFIX"] = f"{prefix}:test-{salt}"
    return isolated


def _cache_aliases(config: Any) -> set[str]:
    return {
        store.get("ALIAS", "default")
        for store in _store_entries(config)
        if _is_class(store.get("BACKEND"), "pyot_django.stores.DjangoCache")
    }


def _isolated_caches(aliases: set[str], salt: str) -> dict[str, Any]:
    from ..conf import cache_settings

    caches = copy.deepcopy(cache_settings())
    for alias in aliases:
        if alias in caches:
            prefix = caches[alias].get("KEY_PREFIX", "")
            caches[alias]["KEY_PREFIX"] = f"{prefix}{':' if prefix else ''}pyot-test-{salt}"
    return caches


def _limiter_prefixes(config: Any) -> list[tuple[str, str]]:
    limiters = [store.get("RATE_LIMITER") for store in _store_entries(config)]
    return [
        (limiter["LOCATION"], limiter["KEY_PREFIX"])
        for limiter in limiters
        if isinstance(limiter, Mapping) and _is_class(limiter.get("BACKEND"), _REDIS_LIMITER)
    ]


def _reset_redis_limiters(config: Any) -> None:
    import redis

    for location, prefix in _limiter_prefixes(config):
        client = redis.Redis.from_url(location, socket_connect_timeout=2, socket_timeout=5)
        try:
            batch = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            if batch:
                client.delete(*batch)
        finally:
            client.close()


async def _clear_caches() -> None:
    from ..exceptions import ImproperlyConfiguredPipeline
    from ..pipeline import pipelines
    from ..stores.base import CacheStore
    from ..stores.orm import DjangoORM

    try:
        names = list(pipelines)
    except ImproperlyConfiguredPipeline:
        return  # nothing to clear; the test (or manage.py check) reports the setting
    for name in names:
        for store in pipelines[name].stores:
            if isinstance(store, CacheStore) and not isinstance(store, DjangoORM):  # the test DB isolates ORM rows
                await store.clear()


async def _close_pipelines() -> None:
    from ..pipeline import pipelines

    for pipeline in list((pipelines._pipelines or {}).values()):  # only those built
        await pipeline.aclose()


@dataclass(frozen=True)
class IsolatedPipelines:
    """What a test gets: the emulator and this worker's names; ``["lol"]`` is a pipeline."""

    server: Any  # the RunningEmulator: ``.base_url``, ``.url``
    salt: str
    api_key: str

    @property
    def emulator(self) -> Any:
        """The ``Emulator``: ``.script(...)``, ``.configure(...)``, ``.stats()``."""
        return self.server.emulator

    def __getitem__(self, name: str) -> Any:
        from ..pipeline import pipelines

        return pipelines[name]


@contextlib.contextmanager
def isolated_pipelines(
    running: Any, *, salt: str | None = None, settings_fixture: Any = None
) -> Iterator[IsolatedPipelines]:
    """Isolate ``settings.PYOT`` on the emulator ``running`` for the block (see the module doc).

    ``settings_fixture``: pytest-django's ``settings``; the changes then go through it, so
    they are undone in order with whatever else the test changes there.
    """
    salt = salt or worker_salt()
    config = isolated_config(getattr(settings, "PYOT", {}), running.base_url, salt)
    caches = _isolated_caches(_cache_aliases(config), salt)
    overrides = None
    if settings_fixture is not None:
        settings_fixture.CACHES = caches
        settings_fixture.PYOT = config
    else:
        overrides = override_settings(PYOT=config, CACHES=caches)
        overrides.enable()
    try:
        _reset_redis_limiters(config)
        async_to_sync(_clear_caches)()
        yield IsolatedPipelines(running, salt, worker_api_key(salt))
        async_to_sync(_clear_caches)()
    finally:
        try:
            async_to_sync(_close_pipelines)()
        finally:
            if overrides is not None:
                overrides.disable()


if TYPE_CHECKING:
    from unittest import TestCase as _TestCaseBase  # the mixin goes before a TestCase in the bases
else:
    _TestCaseBase = object


class IsolatedPipelinesMixin(_TestCaseBase):
    """For Django's test runner: each test gets isolated pipelines on a shared emulator.

    ``self.riot_emulator`` is the ``RunningEmulator`` (its stats, scripts and config are
    reset before every test); put the mixin before ``TestCase`` in the bases::

        class PlayerViewTests(IsolatedPipelinesMixin, TestCase):
            def test_player(self):
                ...
    """

    riot_emulator: Any

    def setUp(self) -> None:
        from ..devserver import process_emulator

        super().setUp()
        self.riot_emulator = process_emulator(announce=False)
        self.riot_emulator.emulator.reset(config=True)
        context = isolated_pipelines(self.riot_emulator)
        self.riot_pipelines = context.__enter__()
        self.addCleanup(context.__exit__, None, None, None)
