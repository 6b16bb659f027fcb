"""pytest fixtures for the Riot emulator and isolated pipelines.

In a ``conftest.py``::

    import pytest

    pytest_plugins = ["pyot_django.testing.pytest_plugin"]

    @pytest.fixture(autouse=True)
    def _pyot(riot_pipelines):
        # Every test: RiotAPI stores on the emulator, empty caches, fresh rate limiters.
        return riot_pipelines

    def test_a_dripping_upstream(riot_emulator):
        riot_emulator.emulator.script("*", [{"fault": "drip_body", "interval": 1.5, "times": 3}])
        ...  # every hostile answer is listed in pyot_django.testing.faults

``riot_emulator_server`` (session) serves one emulator per test process (so one per
pytest-xdist worker); ``riot_emulator`` (function) hands it over with stats, windows,
scripts and config reset; ``riot_pipelines`` (function) also isolates ``settings.PYOT``
on it (see :mod:`pyot_django.testing.isolation`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pyot_django.testing.isolation import IsolatedPipelines, isolated_pipelines
from pyot_django.testing.runner import RunningEmulator, serve_emulator

__all__ = ["riot_emulator", "riot_emulator_server", "riot_pipelines"]


@pytest.fixture(scope="session")
def riot_emulator_server() -> Iterator[RunningEmulator]:
    with serve_emulator() as running:
        yield running


@pytest.fixture
def riot_emulator(riot_emulator_server: RunningEmulator) -> Iterator[RunningEmulator]:
    riot_emulator_server.emulator.reset(config=True)
    yield riot_emulator_server


@pytest.fixture
def riot_pipelines(riot_emulator: RunningEmulator, settings: object) -> Iterator[IsolatedPipelines]:
    """``settings.PYOT`` on the emulator, with this test's own empty caches and limiters.

    The settings change through pytest-django's ``settings``, so they are undone in order
    with the test's own changes (a test may still set ``settings.PYOT`` itself).
    """
    with isolated_pipelines(riot_emulator, settings_fixture=settings) as isolated:
        yield isolated
